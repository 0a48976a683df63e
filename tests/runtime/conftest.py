from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "runtime-ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("runtime-dev", deadline=None)
settings.load_profile("runtime-ci" if os.environ.get("CI") else "runtime-dev")

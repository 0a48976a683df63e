"""Fixtures of the migrator tests: the fake old API on sys.path, a hypothesis profile for CI."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import settings

SUPPORT = Path(__file__).parent / "support"

if str(SUPPORT) not in sys.path:
    sys.path.insert(0, str(SUPPORT))

# Every area loads its own profile and the last one loaded wins for the whole session, so the
# migrator's hypothesis tests also pin what matters in their own @settings (`CI_SETTINGS`).
settings.register_profile("petrock-migrate-ci", derandomize=True, max_examples=60, deadline=None)
settings.register_profile("petrock-migrate-dev", max_examples=60, deadline=None)
settings.load_profile("petrock-migrate-ci" if os.environ.get("CI") else "petrock-migrate-dev")

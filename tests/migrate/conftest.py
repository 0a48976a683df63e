"""Fixtures of the migrator tests: the fake old API on sys.path, a hypothesis profile for CI."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import settings

SUPPORT = Path(__file__).parent / "support"

if str(SUPPORT) not in sys.path:
    sys.path.insert(0, str(SUPPORT))

settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

"""Fixtures of the migrator tests: the fake old API on sys.path."""

from __future__ import annotations

import sys
from pathlib import Path

SUPPORT = Path(__file__).parent / "support"

if str(SUPPORT) not in sys.path:
    sys.path.insert(0, str(SUPPORT))

# No hypothesis profile here: a loaded profile applies to the whole session (every folder's
# tests); the migrator's hypothesis tests pin their settings in their own @settings.

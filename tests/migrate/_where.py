"""Where the migrator tests find their fixtures."""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).parent
CASES = HERE / "cases"
SUPPORT = HERE / "support"
SHARED_SAMPLES = Path("/work/shared/samples/legacy_workers")
REPO = HERE.parent.parent

# Derandomized in CI (fixed examples, no flakiness), random locally.
DERANDOMIZE = bool(os.environ.get("CI"))

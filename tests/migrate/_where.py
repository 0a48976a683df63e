"""Where the migrator tests find their fixtures."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
CASES = HERE / "cases"
SUPPORT = HERE / "support"
SHARED_SAMPLES = Path("/work/shared/samples/legacy_workers")
REPO = HERE.parent.parent

"""Where the migrator tests find their fixtures."""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).parent
CASES = HERE / "cases"
SUPPORT = HERE / "support"
REPO = HERE.parent.parent


def _shared_samples() -> Path:
    """The team's `shared/` folder sits beside the clone (CI) or at /work/shared; users lack it."""
    for shared in (REPO.parent / "shared", Path("/work/shared")):
        samples = shared / "samples" / "legacy_workers"
        if samples.is_dir():
            return samples
    return REPO.parent / "shared" / "samples" / "legacy_workers"


SHARED_SAMPLES = _shared_samples()

# Derandomized in CI (fixed examples, no flakiness), random locally.
DERANDOMIZE = bool(os.environ.get("CI"))

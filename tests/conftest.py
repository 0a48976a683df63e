"""Suite-wide setup: subprocesses import the runtime from this checkout's sources.

`pip install -e '.[dev]'` installs the runtime distribution (runtime/) as a copy. pytest itself puts
runtime/ first on sys.path (`pythonpath` in pyproject.toml); this does the same for the Python
processes the tests start, so that every test runs the runtime as it is in the working tree.
"""

from __future__ import annotations

import os
from pathlib import Path

RUNTIME_SOURCES = str(Path(__file__).resolve().parents[1] / "runtime")

os.environ["PYTHONPATH"] = os.pathsep.join(
    [RUNTIME_SOURCES, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
)

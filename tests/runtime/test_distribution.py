"""The runtime is its own distribution and needs nothing beyond the standard library."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_IMPORT_ALL = """
import sys
before = set(sys.modules)
import petrock_runtime, petrock_runtime.demo, petrock_runtime._sqlite, petrock_runtime._memory
loaded = {name.split(".")[0] for name in set(sys.modules) - before}
print(sorted(loaded - set(sys.stdlib_module_names) - {"petrock_runtime"}))
"""


def test_runtime_distribution_declares_no_dependencies() -> None:
    project = tomllib.loads((REPO / "runtime" / "pyproject.toml").read_text())["project"]
    assert project["name"] == "petrock-runtime"
    assert project["dependencies"] == []
    assert set(project["optional-dependencies"]) == {"postgres"}


def test_importing_the_runtime_loads_only_the_standard_library() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout


def test_the_runtime_never_imports_the_tool() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "runtime" / "petrock_runtime").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "petrock_gen" in line and line.lstrip().startswith(("import ", "from "))
    ]
    assert offenders == []

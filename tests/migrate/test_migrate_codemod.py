"""The same transformation runs as `python -m libcst.tool codemod`.

libcst.tool splits COMMAND at its last dot into module and class. With `-x` (`--external`) it
imports that module as given; without it, it tries `<m>.<module>` for every `m` in the `modules`
list of a `.libcst.codemod.yaml` found upwards from the working directory (default
`libcst.codemod.commands`). So `-x petrock_gen.migrate.MigrateWorkerCommand` works anywhere, and a
project whose config lists `petrock_gen` can write `migrate.MigrateWorkerCommand`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from petrock_gen.migrate import migrate_source

from ._where import CASES

SOURCE = CASES / "if_chain" / "control_flow" / "before.py"


def codemod(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_external_dotted_path(tmp_path: Path) -> None:
    target = tmp_path / "worker.py"
    shutil.copy(SOURCE, target)
    expected, _ = migrate_source(SOURCE.read_text(encoding="utf-8"), str(target))
    done = codemod(
        tmp_path, "-x", "petrock_gen.migrate.MigrateWorkerCommand", "--no-format", "worker.py"
    )
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8") == expected
    assert "line 35: GuardedWorker: was `break`" in done.stderr  # partial: a codemod warning


@pytest.mark.slow
def test_configured_module(tmp_path: Path) -> None:
    target = tmp_path / "worker.py"
    shutil.copy(SOURCE, target)
    (tmp_path / ".libcst.codemod.yaml").write_text("modules:\n  - petrock_gen\n", encoding="utf-8")
    done = codemod(tmp_path, "migrate.MigrateWorkerCommand", "--no-format", "worker.py")
    assert done.returncode == 0, done.stderr
    assert "def build_worker(state: GuardedWorker)" in target.read_text(encoding="utf-8")
    second = codemod(tmp_path, "migrate.MigrateWorkerCommand", "--no-format", "worker.py")
    assert "Skipped 1 files" in second.stderr

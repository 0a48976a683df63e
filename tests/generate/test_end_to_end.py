"""A new user's session, end to end: the installed `petrock` in subprocesses, then `pip install -e`
of the generated project into a fresh venv and its own test suite, all green."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import GIT_ENV

STEPS: list[list[str]] = [
    ["new", "feature", "billing", "--command", "charge:invoice_id=str,amount_cents=int,note=str?"],
    ["new", "feature", "catalog", "--no-periodic", "--command", "add-item:sku=str,price=Decimal"],
    ["new", "feature", "shipping", "--worker", "packer", "--command", "ship:order_id=UUID,on=date"],
    ["new", "command", "billing/refund", "invoice_id:str", "reason:str=duplicate"],
    ["new", "worker", "catalog/indexer", "--description", "Indexes the catalog"],
]


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def _venv_with_petrock(folder: Path) -> Path:
    """A fresh venv that sees this interpreter's packages (petrock_gen and its dependencies)."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    ours = sysconfig.get_paths()["purelib"]
    Path(purelib, "petrock_parent.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    return python


@pytest.mark.slow
def test_a_new_user_scaffolds_extends_installs_and_tests(tmp_path: Path) -> None:
    petrock = str(Path(sys.executable).parent / "petrock")
    env = {**os.environ, **GIT_ENV}
    env.pop("PYTHONPATH", None)
    out = _run([petrock, "new", "project", "shop", "--defaults"], tmp_path, env)
    assert "created project shop" in out
    root = tmp_path / "shop"
    for step in STEPS:
        out = _run([petrock, *step, "--commit"], root, env)
        assert "and committed" in out
    assert _run(["git", "status", "--porcelain"], root, env) == ""
    assert len(_run(["git", "log", "--oneline"], root, env).splitlines()) == 1 + len(STEPS)

    python = _venv_with_petrock(tmp_path / "venv")
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", "-e", "."], root, env)
    where = _run([str(python), "-c", "import shop; print(shop.__file__)"], tmp_path, env)
    assert where.strip() == str(root / "src" / "shop" / "__init__.py")
    out = _run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], root, env)
    assert " passed" in out and "failed" not in out
    out = _run([str(python), "-m", "shop", "--database", "memory://", "--until-idle"], root, env)
    assert "catalog/indexer" in out


@pytest.mark.slow
def test_on_a_terminal_copier_asks_the_questions_the_flags_left_open(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    import select
    import time

    petrock = str(Path(sys.executable).parent / "petrock")
    pid, fd = pty.fork()
    if pid == 0:  # the child: petrock on a terminal
        os.chdir(tmp_path)
        os.execv(petrock, [petrock, "new", "project", "my-shop", "--no-git"])
    screen, answered = b"", 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not select.select([fd], [], [], 0.5)[0]:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        screen += chunk
        for question in (b"Import package", b"One-line description")[answered:]:
            if question in screen:
                os.write(fd, b"\r")  # take the default
                answered += 1
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, screen.decode(errors="replace")[-2000:]
    assert answered == 2
    pyproject = (tmp_path / "my-shop" / "pyproject.toml").read_text()
    assert 'package = "my_shop"' in pyproject
    assert 'description = "A command-sourced app with background workers"' in pyproject

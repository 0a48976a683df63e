"""A generated project installs in a fresh venv with nothing of petrock in it, by the command its
README documents, passes its tests, serves, and leaves the git tree clean.

The project brings petrock's wheels (`wheels/`); everything else comes from the package index.
"""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .conftest import GIT_ENV

INSTALL = "pip install --find-links wheels -e '.[dev]'"
DEADLINE = 60.0


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def _fresh_env() -> dict[str, str]:
    """The environment of a new shell: no PYTHONPATH pointing at this checkout, no venv."""
    env = {**os.environ, **GIT_ENV}
    for key in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(key, None)
    return env


def _lines(stream: object) -> tuple[queue.Queue[str], threading.Thread]:
    """Every line the stream gives, on a queue (read by a thread, so waits can have deadlines)."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:  # type: ignore[attr-defined]
            lines.put(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    return lines, reader


def _wait_for_line(lines: queue.Queue[str], text: str) -> str:
    end = time.monotonic() + DEADLINE
    while (left := end - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if text in line:
            return line
    raise AssertionError(f"no line with {text!r} within {DEADLINE} s")


def _wait_for_position(database: Path, worker: str, position: int) -> None:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        with sqlite3.connect(database) as connection:
            row = connection.execute(
                "SELECT position FROM positions WHERE worker = ?", (worker,)
            ).fetchone()
        if row is not None and row[0] >= position:
            return
        time.sleep(0.05)  # polling a condition, with a deadline
    raise AssertionError(f"{worker} did not reach message {position} within {DEADLINE} s")


@pytest.mark.slow
def test_a_generated_project_installs_tests_and_serves_in_a_fresh_venv(tmp_path: Path) -> None:
    env = _fresh_env()
    petrock = [sys.executable, "-m", "petrock_gen"]
    _run([*petrock, "new", "project", "shop", "--defaults"], tmp_path, {**os.environ, **GIT_ENV})
    root = tmp_path / "shop"
    assert INSTALL in (root / "README.md").read_text()
    feature = ["new", "feature", "billing", "--command", "charge:invoice_id=str,amount_cents=int"]
    _run([*petrock, *feature, "--commit"], root, {**os.environ, **GIT_ENV})

    _run([sys.executable, "-m", "venv", str(tmp_path / "venv")], tmp_path, env)
    bin_dir = tmp_path / "venv" / "bin"
    _run([str(bin_dir / "python"), "-m", *INSTALL.replace("'", "").split()], root, env)
    where = _run(
        [str(bin_dir / "python"), "-c", "import petrock_runtime as r; print(r.__file__)"], root, env
    )
    assert str(tmp_path / "venv") in where
    _run([str(bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"], root, env)

    stats = _serve_one_command(root, bin_dir / "python", env)
    assert any(line.startswith("billing ") and " 1 " in line for line in stats), stats
    assert _run(["git", "status", "--porcelain", "--ignored=no"], root, env) == ""
    assert (root / "shop.db.claims").is_dir()
    # The petrock-gen the dev extra installed (from the project's wheel) works on its own.
    _run(
        [str(bin_dir / "petrock"), "new", "command", "billing/refund", "invoice_id:str"], root, env
    )
    _run([str(bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"], root, env)
    # ... and makes projects whose wheels, built from the copies installed from those wheels,
    # are the same bytes: the installed copies carry everything the next project needs.
    _run(
        [str(bin_dir / "petrock"), "new", "project", "again", "--no-git", "--defaults"],
        tmp_path,
        env,
    )
    ours = sorted((root / "wheels").iterdir())
    assert [p.name for p in ours] == sorted(
        p.name for p in (tmp_path / "again" / "wheels").iterdir()
    )
    for wheel in ours:
        assert wheel.read_bytes() == (tmp_path / "again" / "wheels" / wheel.name).read_bytes()


def _serve_one_command(root: Path, python: Path, env: dict[str, str]) -> list[str]:
    """Start `python -m shop`, execute a command from another process, see the worker handle
    it, then Ctrl-C (SIGINT): the app exits 0 and prints its stats (returned, one per line)."""
    server = subprocess.Popen(
        [str(python), "-m", "shop"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines, reader = _lines(server.stdout)
        _wait_for_line(lines, "press Ctrl-C to stop")
        execute = (
            "from shop.app import build_app\n"
            "from shop.features.billing.commands import Charge\n"
            "app = build_app()\n"
            "print(app.execute(Charge(invoice_id='inv-1', amount_cents=500)).id)\n"
            "app.close()\n"
        )
        message_id = int(_run([str(python), "-c", execute], root, env).strip())
        _wait_for_position(root / "shop.db", "billing", message_id)
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=DEADLINE) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    reader.join(timeout=DEADLINE)  # the pipe is at its end once the app has exited
    rest: list[str] = []
    while not lines.empty():
        rest.append(lines.get())
    return rest

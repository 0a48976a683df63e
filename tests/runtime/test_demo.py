from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from petrock_runtime.demo import run_demo

from petrock_gen.cli import main


def test_demo_runs_workers_and_a_second_run_replays(tmp_path: Path) -> None:
    out = io.StringIO()
    first = run_demo(tmp_path / "demo.db", orders=50, out=out)
    stats = {info.name: info.stats for info in first.stats}
    assert first.messages == 50 + 48  # 2 orders are declined: no MarkPaid for them
    assert first.dead_letters == 2 and stats["billing"].dead_lettered == 2
    assert stats["billing"].processed == 48 and stats["shipping"].processed == 48
    assert stats["shipping"].retried >= 1 and stats["audit"].processed == 98
    assert all(s.lag == 0 for s in stats.values())
    assert "worker stats" in out.getvalue() and "billing" in out.getvalue()

    second = run_demo(tmp_path / "demo.db", orders=5, out=out)
    again = {info.name: info.stats for info in second.stats}
    assert again["billing"].replayed == 50 and again["billing"].processed == 5
    assert second.messages == 98 + 10


def test_python_dash_m_demo_needs_no_arguments() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "petrock_runtime.demo", "--orders", "10"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "worker stats" in done.stdout and "dead letters: 0" in done.stdout
    bare = subprocess.run(
        [sys.executable, "-m", "petrock_runtime.demo"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bare.returncode == 0, bare.stderr
    assert "messages: 196" in bare.stdout


def test_petrock_demo_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["demo", "--db", str(tmp_path / "cli.db"), "--orders", "3"])
    assert done.value.code == 0
    assert "worker stats" in capsys.readouterr().out
    assert (tmp_path / "cli.db").exists()


def test_petrock_demo_bad_path_is_a_one_line_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["demo", "--db", "/no/such/dir/demo.db"])
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err


def test_petrock_demo_rejects_zero_orders() -> None:
    with pytest.raises(SystemExit) as done:
        main(["demo", "--orders", "0"])
    assert done.value.code == 2

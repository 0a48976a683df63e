"""Crash safety and restart semantics with a real subprocess, SIGKILL and SIGTERM."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from petrock_runtime import App, SQLiteMessageLog
from petrock_runtime.testing import replay_state

from .crash_child import Tally, build_worker

CHILD = Path(__file__).with_name("crash_child.py")
TIMEOUT = 60.0


def start_child(
    db: Path, effects: Path, block_at: int, mode: str
) -> tuple[subprocess.Popen[bytes], int]:
    read, write = os.pipe()
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(db), str(effects), str(block_at), str(write), mode],
        pass_fds=(write,),
    )
    os.close(write)
    return child, read


def wait_for_byte(fd: int, child: subprocess.Popen[bytes]) -> None:
    ready, _, _ = select.select([fd], [], [], TIMEOUT)
    assert ready, f"child never reached the blocking message (exit code {child.poll()})"
    assert os.read(fd, 1) == b"x"
    os.close(fd)


def effects_of(path: Path, worker: str) -> list[int]:
    lines = path.read_text().split("\n") if path.exists() else []
    return [int(line.split()[1]) for line in lines if line.startswith(f"{worker} ")]


def seed_log(db: Path, count: int) -> None:
    log = SQLiteMessageLog(db)
    log.append_many([Tally(f"k{i % 7}", i) for i in range(count)])
    log.close()


def test_sigkill_mid_batch_then_restart_loses_nothing(tmp_path: Path) -> None:
    db, effects = tmp_path / "crash.db", tmp_path / "effects.txt"
    seed_log(db, 200)
    child, fd = start_child(db, effects, 120, "hang")
    wait_for_byte(fd, child)  # worker A is inside message 120, batch 101..150 uncommitted
    child.send_signal(signal.SIGKILL)
    child.wait(TIMEOUT)

    log = SQLiteMessageLog(db)
    assert log.load_position("A") == 100  # two batches of 50 committed, the third lost
    before = effects_of(effects, "A")
    assert before == list(range(1, 120))
    log.append_many([Tally("down", 1) for _ in range(10)])  # appended while the app was down

    app = App(log)
    workers = [build_worker("A", str(effects)), build_worker("B", str(effects))]
    for worker in workers:
        app.register_worker(worker)
    app.run_until_idle()

    for worker in workers:
        handled = Counter(effects_of(effects, worker.name))
        assert set(handled) == set(range(1, 211)), "every message handled live at least once"
        assert log.load_position(worker.name) == 210
        clean = replay_state(app, lambda name=worker.name: build_worker(name, str(effects)))
        assert worker.state == clean
    a = workers[0]
    assert a.stats.replayed == 100 and a.stats.processed == 110  # 1..100 replayed, rest live
    redelivered = sorted(i for i, n in Counter(effects_of(effects, "A")).items() if n > 1)
    assert redelivered == list(range(101, 120))  # at most the uncommitted batch, again
    log.close()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_finishes_the_message_in_hand_commits_and_exits(
    tmp_path: Path, signum: signal.Signals
) -> None:
    db, effects = tmp_path / "term.db", tmp_path / "effects.txt"
    seed_log(db, 200)
    child, fd = start_child(db, effects, 30, "finish")
    wait_for_byte(fd, child)  # A is inside message 30
    child.send_signal(signum)
    assert child.wait(TIMEOUT) == 0
    assert effects_of(effects, "A") == list(range(1, 31))  # 30 finished, 31 never started
    log = SQLiteMessageLog(db)
    assert log.load_position("A") == 30
    app = App(log)
    app.register_worker(build_worker("A", str(effects)))
    app.start()  # replays exactly what was handled before the stop
    assert app.workers()[0].state.last_id == 30
    assert app.workers()[0].stats.replayed == 30
    log.close()

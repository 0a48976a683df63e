"""SQLite claims (file locks) and the exclusive write section, within one process.

The cross-process behaviour (SIGKILL, takeover, racing executors) is in test_processes.py.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from petrock_runtime import SQLiteMessageLog
from petrock_runtime._contract import ContractNote


def test_a_claim_is_a_lock_file_next_to_the_database(tmp_path: Path) -> None:
    log = SQLiteMessageLog(tmp_path / "app.db")
    assert log.claim("Billing Worker")
    digest = hashlib.sha1(b"Billing Worker").hexdigest()
    lock = tmp_path / "app.db.claims" / f"{digest}.lock"
    assert lock.read_text() == f"{os.getpid()} Billing Worker\n"
    log.close()
    assert lock.exists()  # never deleted: a new holder locks the same file


def test_close_releases_every_claim(tmp_path: Path) -> None:
    first, second = SQLiteMessageLog(tmp_path / "a.db"), SQLiteMessageLog(tmp_path / "a.db")
    assert first.claim("w") and first.claim("v")
    assert not second.claim("w") and not second.claim("v")
    first.close()
    assert second.claim("w") and second.claim("v")
    with pytest.raises(ValueError, match="closed"):
        first.claim("u")
    second.close()


def test_release_of_an_unheld_claim_is_a_no_op(tmp_path: Path) -> None:
    first, second = SQLiteMessageLog(tmp_path / "a.db"), SQLiteMessageLog(tmp_path / "a.db")
    assert first.claim("w")
    second.release("w")  # second never held it: first keeps it
    assert not second.claim("w")
    first.close()
    second.close()


def test_threads_racing_on_two_logs_give_the_claim_to_one_log(tmp_path: Path) -> None:
    logs = [SQLiteMessageLog(tmp_path / "a.db") for _ in range(2)]
    start = threading.Barrier(16)
    won: list[list[int]] = [[] for _ in range(50)]

    def race(index: int) -> None:
        start.wait()
        for round_ in range(50):
            if logs[index % 2].claim(f"w{round_}"):
                won[round_].append(index % 2)

    threads = [threading.Thread(target=race, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(len(set(winners)) == 1 for winners in won)  # one log per worker, never both
    assert all(len(winners) == 8 for winners in won)  # the winner's other threads: held already
    for log in logs:
        log.close()


def test_exclusive_blocks_other_writers_and_commits_at_the_end(tmp_path: Path) -> None:
    log = SQLiteMessageLog(tmp_path / "a.db")
    other = SQLiteMessageLog(tmp_path / "a.db", busy_timeout=0.05)
    with log.exclusive():
        message = log.append(ContractNote("inside"))
        with log.exclusive():  # reentrant in the owning thread
            log.append(ContractNote("nested"))
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.append(ContractNote("from another connection"))
        assert other.last_id() == 0  # not committed yet
        assert not log.wait_for_new(0, 0.0)  # nor announced
    assert other.last_id() == message.id + 1
    assert log.wait_for_new(0, 0.0)
    log.close()
    other.close()


def test_exclusive_rolls_back_on_an_error(tmp_path: Path) -> None:
    log = SQLiteMessageLog(tmp_path / "a.db")
    with pytest.raises(RuntimeError), log.exclusive():
        log.append(ContractNote("never"))
        raise RuntimeError("check failed")
    assert log.last_id() == 0
    assert log.append(ContractNote("after")).id >= 1
    log.close()


def test_other_threads_wait_for_exclusive(tmp_path: Path) -> None:
    log = SQLiteMessageLog(tmp_path / "a.db")
    entered, appended = threading.Event(), threading.Event()

    def append() -> None:
        entered.wait()
        log.append(ContractNote("second"))
        appended.set()

    thread = threading.Thread(target=append)
    thread.start()
    with log.exclusive():
        entered.set()
        assert not appended.wait(0.2)  # blocked behind the section (bounded wait, not sync)
        first = log.append(ContractNote("first"))
    thread.join()
    assert [m.id for m in log.read_after(0)] == [first.id, first.id + 1]
    log.close()

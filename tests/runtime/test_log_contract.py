"""The backend contract suite on the in-memory and SQLite logs."""

from __future__ import annotations

from pathlib import Path

import pytest
from petrock_runtime import MemoryMessageLog, MessageLog, SQLiteMessageLog
from petrock_runtime.testing import MessageLogContract


class TestMemoryLog(MessageLogContract):
    def make_log(self, tmp_path: Path) -> MessageLog:
        return MemoryMessageLog()


class TestSQLiteLog(MessageLogContract):
    exclusive_claims = True

    def make_log(self, tmp_path: Path) -> MessageLog:
        return SQLiteMessageLog(tmp_path / "log.db", poll_interval=0.02)

    def open_again(self, log: MessageLog) -> MessageLog | None:
        assert isinstance(log, SQLiteMessageLog)
        return SQLiteMessageLog(log.path, poll_interval=0.02)


def test_sqlite_file_uses_wal(tmp_path: Path) -> None:
    import sqlite3

    log = SQLiteMessageLog(tmp_path / "wal.db")
    log.close()
    with sqlite3.connect(tmp_path / "wal.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_rejects_a_bad_synchronous_setting(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="synchronous"):
        SQLiteMessageLog(tmp_path / "x.db", synchronous="sometimes")


def test_sqlite_writers_on_separate_connections_never_collide(tmp_path: Path) -> None:
    import threading

    from petrock_runtime._contract import ContractNote

    handles = [SQLiteMessageLog(tmp_path / "shared.db") for _ in range(3)]
    got: list[list[int]] = [[] for _ in handles]

    def write(index: int) -> None:
        for i in range(40):
            if i % 4 == 0:
                notes = [ContractNote(f"{index}-{i}-a"), ContractNote(f"{index}-{i}-b")]
                got[index].extend(m.id for m in handles[index].append_many(notes))
            else:
                got[index].append(handles[index].append(ContractNote(f"{index}-{i}")).id)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(handles))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [m.id for m in handles[0].read_after(0, 10_000)]
    assert sorted(i for ids in got for i in ids) == everything  # each id once, none lost
    assert all(ids == sorted(ids) for ids in got)
    for handle in handles:
        handle.close()

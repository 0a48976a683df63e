"""The backend contract suite on the in-memory and SQLite logs."""

from __future__ import annotations

from pathlib import Path

import pytest

from petrock_gen.runtime import MemoryMessageLog, MessageLog, SQLiteMessageLog
from petrock_gen.runtime.testing import MessageLogContract


class TestMemoryLog(MessageLogContract):
    def make_log(self, tmp_path: Path) -> MessageLog:
        return MemoryMessageLog()


class TestSQLiteLog(MessageLogContract):
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

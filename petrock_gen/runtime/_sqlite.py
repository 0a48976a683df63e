"""The SQLite backend: the embedded default. One file, WAL, one writer connection."""

from __future__ import annotations

from petrock_gen.runtime._log import MessageLog

__all__ = ["SQLiteMessageLog"]


class SQLiteMessageLog(MessageLog):
    """A log in one SQLite file (WAL). `SQLiteMessageLog(path)`; the file is created when missing."""

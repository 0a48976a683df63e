"""The SQLite backend: the embedded default. One file, WAL, one writer connection.

Reads go through a small pool of reader connections with a small page cache each, so a hundred
workers do not each hold a connection. Ids come from AUTOINCREMENT inside write transactions,
which SQLite serialises, so an id is never committed after a larger one (no skipped ids).
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from petrock_gen.errors import UserError
from petrock_gen.runtime._command import Command
from petrock_gen.runtime._log import MessageLog
from petrock_gen.runtime._message import DeadLetter, Message
from petrock_gen.runtime._wait import NewMessages

__all__ = ["SQLiteMessageLog"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts REAL NOT NULL,
    type TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS positions (
    worker TEXT PRIMARY KEY,
    position INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    worker TEXT NOT NULL,
    message_id INTEGER NOT NULL,
    type TEXT NOT NULL,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    failed_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS dead_letters_worker ON dead_letters (worker, id);
"""

_fromtimestamp = datetime.fromtimestamp


class SQLiteMessageLog(MessageLog):
    """A log in one SQLite file (WAL). `SQLiteMessageLog(path)`; the file is created when missing.

    `poll_interval` is how often waiters look for appends made by other processes (appends in
    this process wake them at once). `synchronous` is SQLite's setting: "NORMAL" (the default)
    survives process crashes; "FULL" also survives power loss, at a cost per commit.
    """

    fresh_reads = True

    def __init__(
        self,
        path: str | Path,
        *,
        poll_interval: float = 0.1,
        synchronous: str = "NORMAL",
        max_readers: int = 4,
        busy_timeout: float = 30.0,
    ) -> None:
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise UserError(
                f"cannot create the log {str(self.path)!r}: directory {str(self.path.parent)!r} "
                "does not exist",
                hint="create the directory or point the log URL elsewhere",
            )
        if synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError(f"synchronous must be OFF, NORMAL, FULL or EXTRA, not {synchronous!r}")
        self._timeout = busy_timeout
        self._synchronous = synchronous.upper()
        self._write_lock = threading.Lock()
        self._writer = self._connect(writer=True)
        self._readers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._reader_slots = threading.Semaphore(max(1, max_readers))
        self._all_readers: list[sqlite3.Connection] = []
        self._closed = False
        self._new = NewMessages(self.last_id, poll_interval)

    # -- connections ---------------------------------------------------------------------------
    def _connect(self, *, writer: bool) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.OperationalError as error:
            raise UserError(f"cannot open the log {str(self.path)!r}: {error}") from None
        conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
        if writer:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {self._synchronous}")
            conn.executescript(_SCHEMA)
        else:
            conn.execute("PRAGMA cache_size = -512")  # 512 KiB per reader
            conn.execute("PRAGMA query_only = ON")
        return conn

    @contextmanager
    def _transaction(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock:
            if self._closed:
                raise ValueError("the log is closed")
            with self._transaction(self._writer) as conn:
                yield conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._reader_slots:
            try:
                conn = self._readers.get_nowait()
            except queue.Empty:
                if self._closed:
                    raise ValueError("the log is closed") from None
                conn = self._connect(writer=False)
                with self._write_lock:
                    self._all_readers.append(conn)
            try:
                yield conn
            finally:
                self._readers.put(conn)

    # -- the log -------------------------------------------------------------------------------
    def append(self, command: Command) -> Message:
        return self.append_many([command])[0]

    def append_many(self, commands: Sequence[Command]) -> list[Message]:
        rows = [(command.command_name(), command.to_json()) for command in commands]
        if not rows:
            return []
        now = time.time()
        with self._write() as conn:
            first = None
            if len(rows) == 1:
                first = conn.execute(
                    "INSERT INTO messages (ts, type, data) VALUES (?, ?, ?)", (now, *rows[0])
                ).lastrowid
            else:
                conn.executemany(
                    "INSERT INTO messages (ts, type, data) VALUES (?, ?, ?)",
                    [(now, name, data) for name, data in rows],
                )
                (last,) = conn.execute("SELECT last_insert_rowid()").fetchone()
                # AUTOINCREMENT inside one write transaction hands out consecutive ids.
                first = last - len(rows) + 1
        assert first is not None
        stamp = _fromtimestamp(now, UTC)
        out = [
            Message(first + i, stamp, name, data, command)
            for i, ((name, data), command) in enumerate(zip(rows, commands, strict=True))
        ]
        self._new.seen(out[-1].id)
        return out

    def read_after(self, position: int, limit: int = 500) -> list[Message]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, ts, type, data FROM messages WHERE id > ? ORDER BY id LIMIT ?",
                (position, limit),
            ).fetchall()
        return [Message(i, _fromtimestamp(ts, UTC), t, d) for i, ts, t, d in rows]

    def last_id(self) -> int:
        with self._read() as conn:
            (last,) = conn.execute("SELECT COALESCE(MAX(id), 0) FROM messages").fetchone()
        return int(last)

    def wait_for_new(self, position: int, timeout: float) -> bool:
        return self._new.wait(position, timeout)

    def wake(self) -> None:
        self._new.wake()

    # -- positions and dead letters ------------------------------------------------------------
    def load_position(self, worker: str) -> int:
        with self._read() as conn:
            row = conn.execute("SELECT position FROM positions WHERE worker = ?", (worker,))
            found = row.fetchone()
        return int(found[0]) if found else 0

    def commit(self, worker: str, position: int, dead_letters: Sequence[DeadLetter] = ()) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO positions (worker, position) VALUES (?, ?) "
                "ON CONFLICT (worker) DO UPDATE SET position = excluded.position",
                (worker, position),
            )
            if dead_letters:
                conn.executemany(
                    "INSERT INTO dead_letters (worker, message_id, type, error, attempts, "
                    "failed_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (
                            d.worker,
                            d.message_id,
                            d.type,
                            d.error,
                            d.attempts,
                            d.failed_at.timestamp(),
                        )
                        for d in dead_letters
                    ],
                )

    def dead_letters(self, worker: str | None = None) -> list[DeadLetter]:
        query = "SELECT worker, message_id, type, error, attempts, failed_at FROM dead_letters"
        with self._read() as conn:
            if worker is None:
                rows = conn.execute(query + " ORDER BY id").fetchall()
            else:
                rows = conn.execute(query + " WHERE worker = ? ORDER BY id", (worker,)).fetchall()
        return [DeadLetter(w, m, t, e, a, _fromtimestamp(f, UTC)) for w, m, t, e, a, f in rows]

    def close(self) -> None:
        with self._write_lock:
            if self._closed:
                return
            self._closed = True
            readers, self._all_readers = self._all_readers, []
        for conn in readers:
            conn.close()
        self._writer.close()
        self._new.wake()

    def __repr__(self) -> str:
        return f"SQLiteMessageLog({str(self.path)!r})"

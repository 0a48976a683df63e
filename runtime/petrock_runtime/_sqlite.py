"""The SQLite backend: the embedded default. One file, WAL, one writer connection.

Reads go through a small pool of reader connections with a small page cache each, so a hundred
workers do not each hold a connection. Ids come from AUTOINCREMENT inside write transactions,
which SQLite serialises, so an id is never committed after a larger one (no skipped ids).

Claims are OS file locks (`flock`), one file per worker in `<db>.claims/`, held by an open file
descriptor of the claiming log object: one active instance per worker among all processes (and
log objects) on this machine; the OS drops the lock when the process dies. `exclusive()` holds
SQLite's write lock (`BEGIN IMMEDIATE`) so the executor's catch-up, checks and append are one
step across processes.
"""

from __future__ import annotations

import hashlib
import os
import queue
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from petrock_runtime._command import Command
from petrock_runtime._errors import UserError
from petrock_runtime._log import MessageLog
from petrock_runtime._message import DeadLetter, Message
from petrock_runtime._wait import NewMessages

if sys.platform != "win32":
    import fcntl

__all__ = ["SQLITE_SIDE_FILES", "SQLiteMessageLog", "sqlite_side_files"]

# Everything the SQLite backend writes beside the database file `<db>`, as suffixes of its name:
# SQLite's write-ahead log and shared-memory index, its rollback journal (while switching to WAL),
# and the folder of per-worker claim files. One list: generated projects' .gitignore is built from
# it (see `sqlite_side_files`).
_CLAIMS = ".claims"
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal", f"{_CLAIMS}/")


def sqlite_side_files(database: str) -> tuple[str, ...]:
    """The paths (or glob patterns) the log at `database` writes beside it, e.g.
    `sqlite_side_files("*.db")` -> `("*.db-wal", "*.db-shm", "*.db-journal", "*.db.claims/")`."""
    return tuple(database + suffix for suffix in SQLITE_SIDE_FILES)


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
        self._readers_lock = threading.Lock()
        self._closed = False
        self._new = NewMessages(self.last_id, poll_interval)
        self._owner: int | None = None  # thread inside exclusive()
        self._unannounced = 0  # last id appended inside exclusive(), announced on commit
        self._claims = _FileClaims(
            Path(os.path.abspath(self.path)).with_name(self.path.name + _CLAIMS)
        )

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
        if self._owner == threading.get_ident():  # inside exclusive(): join its transaction
            yield self._writer
            return
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
                with self._readers_lock:  # not the write lock: exclusive() may hold it
                    if self._closed:
                        conn.close()
                        raise ValueError("the log is closed") from None
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
        if self._owner == threading.get_ident():
            self._unannounced = out[-1].id  # readers see it once exclusive() commits
        else:
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

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold SQLite's write lock (`BEGIN IMMEDIATE`) for the block, against every process:
        appends inside it commit when it ends, and no one else writes meanwhile. Reentrant."""
        if self._owner == threading.get_ident():
            yield
            return
        with self._write_lock:
            if self._closed:
                raise ValueError("the log is closed")
            self._unannounced = 0
            with self._transaction(self._writer):
                self._owner = threading.get_ident()
                try:
                    yield
                finally:
                    self._owner = None
            if self._unannounced:
                self._new.seen(self._unannounced)

    # -- claims --------------------------------------------------------------------------------
    def claim(self, worker: str) -> bool:
        """Become the one active instance of `worker` on this machine (True when held already)."""
        if self._closed:
            raise ValueError("the log is closed")
        return self._claims.claim(worker)

    def release(self, worker: str) -> None:
        """Give up `worker` (a standby's next claim gets it); no-op when not held."""
        self._claims.release(worker)

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
        with self._readers_lock:
            readers, self._all_readers = self._all_readers, []
        for conn in readers:
            conn.close()
        self._writer.close()
        self._claims.release_all()
        self._new.wake()

    def __repr__(self) -> str:
        return f"SQLiteMessageLog({str(self.path)!r})"


class _FileClaims:
    """Exclusive `flock`s, one lock file per worker name (`<sha1 of the name>.lock`) in a directory.

    Each claim opens its own file description, so two objects (in one process or several) exclude
    each other; the OS drops the lock when the descriptor closes or the process dies. Lock files
    are never deleted (deleting one would let two holders lock different files of the same name).
    Where `flock` does not exist (Windows), every claim succeeds, as with a single process.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._held: dict[str, int] = {}

    def path(self, worker: str) -> Path:
        """The lock file of `worker`."""
        digest = hashlib.sha1(worker.encode(), usedforsecurity=False).hexdigest()
        return self.directory / f"{digest}.lock"

    def claim(self, worker: str) -> bool:
        """Take the lock of `worker` without waiting; True when held (now or already)."""
        if sys.platform == "win32":
            return True
        with self._lock:
            if worker in self._held:
                return True
            self.directory.mkdir(exist_ok=True)
            fd = os.open(self.path(worker), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            except BaseException:
                os.close(fd)
                raise
            self._held[worker] = fd
            try:  # who holds it, for people looking at the directory
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()} {worker}\n".encode(), 0)
            except OSError:
                pass
        return True

    def release(self, worker: str) -> None:
        """Unlock and close the lock file of `worker`, if held."""
        with self._lock:
            fd = self._held.pop(worker, None)
        if fd is not None:
            os.close(fd)  # closing the only descriptor of the description drops the lock

    def release_all(self) -> None:
        """Release every claim (on close)."""
        with self._lock:
            held, self._held = self._held, {}
        for fd in held.values():
            os.close(fd)

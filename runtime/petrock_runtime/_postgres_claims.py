"""Worker ownership on PostgreSQL: session-level advisory locks on one connection per log.

`claim(worker)` takes `pg_try_advisory_lock(key(worker))` on the claims connection; positions of
claimed workers are committed through that same connection, so the lock and the commit share a
fate. When the connection is lost (server restart, network), the locks go with it: we reconnect
with backoff and take each lock again, but keep a worker only if nobody else committed its
position meanwhile (the stored position is still the one we last committed). A worker we could
not keep raises `ClaimLost` on its next commit; the caller must claim again (and catch up) first.
A keeper thread checks the connection every second, so an idle worker is taken back (or given up)
within about a second rather than at its next commit.

Before each batch the runner asks `owns(worker)`. That costs no round trip while the connection
was confirmed within the last two `check_every` periods and nothing arrived on its socket unasked (a
terminated session gets a FATAL message there before its locks go); otherwise it confirms with a
round trip (reconnecting and taking the locks back as above). While a reconnect is under way the
answer is no, so a worker whose lock may be another instance's never starts a batch meanwhile.
"""

from __future__ import annotations

import logging
import select
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import psycopg

from petrock_runtime._errors import ClaimLost
from petrock_runtime._message import DeadLetter

__all__ = ["ClaimLost", "Claims"]

logger = logging.getLogger("petrock_runtime.postgres")

Conn = psycopg.Connection[Any]

_POSITION = "SELECT position FROM petrock_positions WHERE worker = %s"
_SAVE_POSITION = (
    "INSERT INTO petrock_positions (worker, position) VALUES (%s, %s) ON CONFLICT (worker)"
    " DO UPDATE SET position = EXCLUDED.position, updated_at = now()"
)
_ADD_DEAD_LETTER = (
    "INSERT INTO petrock_dead_letters (worker, message_id, type, error, attempts, failed_at)"
    " VALUES (%s, %s, %s, %s, %s, %s)"
)


class Claims:
    """The advisory locks one log holds, and the commits of the workers they cover."""

    def __init__(
        self,
        connect: Callable[[], Conn],
        key: Callable[[str], int],
        *,
        reconnect_timeout: float,
        closed: threading.Event,
        check_every: float = 1.0,
    ) -> None:
        self._connect = connect
        self._key = key
        self._reconnect_timeout = reconnect_timeout
        self._closed = closed
        self._check_every = check_every
        self._lock = threading.Lock()
        self._conn: Conn | None = None
        self._held: dict[str, int] = {}  # worker -> the position we last committed or loaded
        self._lost: set[str] = set()  # claimed, not released, taken over: commits must fail
        self._keeper: threading.Thread | None = None
        self._confirmed = 0.0  # monotonic time the connection last answered
        self._doubtful = False  # set while the connection is being re-established

    def claim(self, worker: str) -> bool:
        """Take the lock of `worker` if free; True when held (now or already)."""
        with self._lock:
            if worker in self._held:
                return True
            try:
                conn = self._connection()
                row = conn.execute(
                    "SELECT pg_try_advisory_lock(%s)", (self._key(worker),)
                ).fetchone()
                got = bool(row and row[0])
                self._confirmed = time.monotonic()
                if got:
                    self._held[worker] = _position(conn, worker)
            except psycopg.OperationalError as error:
                self._reconnect(error)
                return False
            if not got:
                return False
            self._lost.discard(worker)
            logger.info("postgres: this process is now the active instance of %r", worker)
        self._start_keeper()
        return True

    def release(self, worker: str) -> None:
        """Give the lock of `worker` back (a standby may take it)."""
        with self._lock:
            self._lost.discard(worker)
            if self._held.pop(worker, None) is None or self._conn is None:
                return
            try:
                self._conn.execute("SELECT pg_advisory_unlock(%s)", (self._key(worker),))
            except psycopg.OperationalError as error:
                self._reconnect(error)

    def commit(self, worker: str, position: int, dead_letters: Sequence[DeadLetter]) -> bool:
        """Commit `worker`'s position through the claims connection when it is claimed here;
        False when it was never claimed here (the caller commits elsewhere)."""
        with self._lock:
            if worker in self._lost:
                raise ClaimLost(worker, "another instance took it over while we were disconnected")
            if worker not in self._held:
                return False
            try:
                write(self._connection(), worker, position, dead_letters)
            except psycopg.OperationalError as error:
                if self._conn is not None and not self._conn.broken:
                    raise
                self._reconnect(error, committing=(worker, position))
                if worker not in self._held:
                    raise ClaimLost(worker, _line(error)) from error
                conn = self._connection()
                if not (dead_letters and _position(conn, worker) == position):
                    write(conn, worker, position, dead_letters)  # not there yet: commit again
            self._held[worker] = position
            self._confirmed = time.monotonic()
            return True

    def owns(self, worker: str) -> bool:
        """True while this log still holds `worker`'s lock; no round trip in the common case."""
        if worker not in self._held or self._doubtful:
            return False
        conn = self._conn
        if conn is not None and not conn.broken and self._quiet(conn):
            return True
        if not self._lock.acquire(timeout=1.0):  # claim/commit/keeper hold it briefly
            return False  # another thread is re-establishing the connection: not sure yet
        try:
            if worker not in self._held:
                return False
            try:
                self._connection().execute("SELECT 1")
                self._confirmed = time.monotonic()
            except psycopg.OperationalError as error:
                self._reconnect(error)
            return worker in self._held
        finally:
            self._lock.release()

    def _quiet(self, conn: Conn) -> bool:
        """Confirmed recently, and the server sent nothing unasked (an idle session's socket
        becomes readable when the server ends it)."""
        if time.monotonic() - self._confirmed >= 2 * self._check_every:  # keeper is late
            return False
        try:
            return not select.select([conn.fileno()], [], [], 0)[0]
        except (OSError, ValueError, psycopg.Error):
            return False

    def close(self) -> None:
        """Release every lock (at once, so a standby can claim right away) and disconnect."""
        with self._lock:
            if self._held and self._conn is not None:
                try:
                    self._conn.execute("SELECT pg_advisory_unlock_all()")
                except psycopg.OperationalError as error:
                    logger.debug("postgres: unlock at close failed: %s", _line(error))
            self._held.clear()
            self._lost.clear()
            self._drop_connection()

    # -- the connection ------------------------------------------------------------------------
    def _connection(self) -> Conn:
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def _drop_connection(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _reconnect(self, error: Exception, committing: tuple[str, int] | None = None) -> None:
        """The connection failed: reconnect with backoff and take back every lock we can keep."""
        self._drop_connection()
        if not self._held:
            return
        self._doubtful = True
        try:
            self._take_back(error, committing)
        finally:
            self._doubtful = False

    def _take_back(self, error: Exception, committing: tuple[str, int] | None) -> None:
        logger.warning(
            "postgres: claims connection lost (%s); reconnecting to keep %s",
            _line(error), ", ".join(sorted(self._held)),
        )  # fmt: skip
        conn = self._reconnected()
        for worker, mine in sorted(self._held.items()):
            accepted = (
                {mine} if committing is None or committing[0] != worker else {mine, committing[1]}
            )
            if conn is not None and self._retake(conn, worker, accepted):
                continue
            del self._held[worker]
            self._lost.add(worker)
            logger.warning("postgres: no longer the active instance of %r (taken over)", worker)
        if self._held:
            logger.info(
                "postgres: claims connection back; still active here: %s",
                ", ".join(sorted(self._held)),
            )

    def _reconnected(self) -> Conn | None:
        delay, deadline = 0.05, time.monotonic() + self._reconnect_timeout
        while not self._closed.is_set():
            try:
                conn = self._connection()
                self._confirmed = time.monotonic()
                return conn
            except psycopg.OperationalError as error:
                if time.monotonic() > deadline:
                    logger.error("postgres: claims connection not back: %s", _line(error))
                    return None
                self._closed.wait(delay)  # backoff between reconnect attempts
                delay = min(delay * 2, 2.0)
        return None

    def _retake(self, conn: Conn, worker: str, accepted: set[int]) -> bool:
        """Lock `worker` again, keeping it only if nobody else committed meanwhile."""
        key = self._key(worker)
        try:
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
            if not (row and row[0]):
                return False
            if _position(conn, worker) in accepted:
                return True
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
        except psycopg.OperationalError as error:
            logger.warning("postgres: could not lock %r again: %s", worker, _line(error))
            self._drop_connection()
        return False

    # -- the keeper ----------------------------------------------------------------------------
    def _start_keeper(self) -> None:
        with self._lock:
            if self._keeper is not None:
                return
            self._keeper = threading.Thread(target=self._keep, name="petrock-claims", daemon=True)
            self._keeper.start()

    def _keep(self) -> None:
        """Check the claims connection every `check_every` seconds while locks are held."""
        while not self._closed.wait(self._check_every):
            with self._lock:
                if not self._held:
                    continue
                try:
                    self._connection().execute("SELECT 1")
                    self._confirmed = time.monotonic()
                except psycopg.OperationalError as error:
                    self._reconnect(error)


def write(conn: Conn, worker: str, position: int, letters: Sequence[DeadLetter]) -> None:
    """Save `worker`'s position and add `letters`, in one transaction on `conn`."""
    with conn.transaction():
        conn.execute(_SAVE_POSITION, (worker, position))
        if letters:
            with conn.cursor() as cursor:
                cursor.executemany(
                    _ADD_DEAD_LETTER,
                    [
                        (d.worker, d.message_id, d.type, d.error, d.attempts, d.failed_at)
                        for d in letters
                    ],
                )


def _position(conn: Conn, worker: str) -> int:
    row = conn.execute(_POSITION, (worker,)).fetchone()
    return int(row[0]) if row else 0


def _line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__

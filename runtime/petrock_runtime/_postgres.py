"""The PostgreSQL backend: one log shared by processes on several machines (psycopg 3).

    log = PostgresMessageLog("postgresql://app@db.internal/app")   # or App("postgresql://...")

Tables `petrock_messages`, `petrock_positions` and `petrock_dead_letters` are created when missing,
in the connection's current schema (pick one with `?options=-csearch_path%3Dmyschema`).

- Ids in commit order: every append takes a transaction-level advisory lock before it takes ids,
  so writers are serialised and a reader never sees id n+1 while id n may still commit.
- Wake-ups: the append transaction sends NOTIFY; one listener thread per log wakes waiters. When its
  connection is lost it polls `last_id()` every `poll_interval` until it can LISTEN again.
- One active instance per worker name: `claim(worker)` takes a session-level advisory lock on this
  log's claims connection, and claimed workers commit positions through that same connection, so
  the lock and the commit share a fate. After a lost connection the locks are taken back when no
  other instance committed meanwhile; otherwise the next commit raises `ClaimLost` and the app puts
  the worker on standby. Runners ask `owns(worker)` before each batch, which notices a lost
  session at once without a round trip (see `_postgres_claims`). When a process dies, its connection and locks go,
  and a standby's next `claim()` succeeds.
- Connection loss: operations reconnect with exponential backoff for up to `reconnect_timeout`
  seconds and log each step on the `petrock_runtime.postgres` logger. An append whose commit
  was cut off is checked after reconnecting (by its ids), so it is neither lost nor doubled.
- `exclusive()`: one transaction holding the append lock for the whole block (the executor's
  catch-up, feature checks and append); the owning thread's reads and appends join it, NOTIFY goes
  out on commit, an error rolls it back. Only taking the lock is retried: a connection lost inside
  the block raises `PostgresUnavailable` (a lost commit is checked by the appended ids first).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from petrock_runtime._command import Command
from petrock_runtime._log import MessageLog
from petrock_runtime._message import DeadLetter, Message
from petrock_runtime._postgres_claims import ClaimLost, Claims, write
from petrock_runtime._postgres_conn import (
    Conn,
    Pool,
    PostgresUnavailable,
    create_schema,
    describe_target,
    key,
    last_id,
    line,
    quote,
    suppress_db_errors,
)
from petrock_runtime._wait import NewMessages

__all__ = ["ClaimLost", "PostgresMessageLog", "PostgresUnavailable"]

logger = logging.getLogger("petrock_runtime.postgres")

T = TypeVar("T")

_INSERT_ONE = "INSERT INTO petrock_messages (type, data) VALUES (%s, %s) RETURNING id, ts"
_INSERT_MANY = (
    "INSERT INTO petrock_messages (type, data) SELECT t, d FROM unnest(%s::text[], %s::bytea[])"
    " WITH ORDINALITY AS u(t, d, n) ORDER BY n RETURNING id, ts"
)
# UTC timestamps; a session whose client vanished mid-transaction (holding the append lock) or
# altogether (holding claims) is ended by the server within ~30 s, not after hours.
_SESSION = (
    "SET TIME ZONE 'UTC'; SET idle_in_transaction_session_timeout = '30s';"
    " SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 4"
)
_READ = "SELECT id, ts, type, data FROM petrock_messages WHERE id > %s ORDER BY id LIMIT %s"


class PostgresMessageLog(MessageLog):
    """A log in a PostgreSQL database, shared by every process that opens the same URL.

    `pool_size` connections serve reads and writes (plus one for LISTEN and one for claims, each
    opened on first use). `poll_interval` is how often waiters look for new messages while the
    LISTEN connection is down; `reconnect_timeout` how long an operation keeps reconnecting before
    raising `PostgresUnavailable`; `claim_check_interval` how often the claims connection is
    checked (and, when lost, re-established) while this process holds claims.
    """

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 4,
        poll_interval: float = 1.0,
        reconnect_timeout: float = 60.0,
        claim_check_interval: float = 1.0,
        connect_timeout: float = 5.0,
    ) -> None:
        params = conninfo_to_dict(url)
        params.setdefault("application_name", "petrock")
        params.setdefault("connect_timeout", max(1, round(connect_timeout)))
        self._conninfo = make_conninfo("", **params)
        self._app = str(params["application_name"])
        self._where = describe_target(params)
        self._poll_interval = poll_interval
        self._reconnect_timeout = reconnect_timeout
        self._closed = threading.Event()
        self._pool = Pool(self._connect, max(1, pool_size))
        try:
            schema = self._pool.run(create_schema)
        except psycopg.OperationalError as error:
            self._pool.close()
            raise PostgresUnavailable(
                f"cannot open the log at {self._where}: {line(error)}"
            ) from None
        self._channel = f"petrock_{schema}"[:63]
        self._append_key = key(f"append:{schema}")
        self._new = NewMessages()
        self._owner: int | None = None  # the thread inside exclusive(), and its connection
        self._owned: Conn | None = None
        self._unannounced: list[int] = []  # ids appended inside exclusive(), announced on commit
        self._listener: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._claims = Claims(
            lambda: self._connect("claims"),
            lambda worker: key(f"claim:{schema}:{worker}"),
            reconnect_timeout=reconnect_timeout,
            closed=self._closed,
            check_every=claim_check_interval,
        )

    def __repr__(self) -> str:
        return f"PostgresMessageLog({self._where!r})"

    # -- connections ---------------------------------------------------------------------------
    def _connect(self, role: str = "") -> Conn:
        """A new autocommit connection; `role` tags it in pg_stat_activity (listen, claims)."""
        conn: Conn = psycopg.connect(self._conninfo, autocommit=True)
        conn.execute(_SESSION)
        if role:
            conn.execute(
                "SELECT set_config('application_name', %s, false)", (f"{self._app} {role}",)
            )
        return conn

    def _retrying(self, what: str, operation: Callable[[Conn], T]) -> T:
        """Run `operation` on a pooled connection, reconnecting with backoff on connection loss."""
        if self._closed.is_set():
            raise PostgresUnavailable(f"{what}: the log at {self._where} is closed")
        if self._owner == threading.get_ident() and self._owned is not None:
            return self._in_exclusive(what, operation, self._owned)
        delay, started = 0.05, time.monotonic()
        attempt = 0
        while True:
            try:
                result = self._pool.run(operation)
            except psycopg.OperationalError as error:
                attempt += 1
                waited = time.monotonic() - started
                if self._closed.is_set() or waited >= self._reconnect_timeout:
                    raise PostgresUnavailable(
                        f"{what} failed on {self._where} after {attempt} attempts over {waited:.1f}s: "
                        f"{line(error)}"
                    ) from error
                logger.warning(
                    "postgres: %s failed on %s (%s); retrying in %.2fs (attempt %d)",
                    what, self._where, line(error), delay, attempt,
                )  # fmt: skip
                self._closed.wait(delay)  # backoff between reconnect attempts
                delay = min(delay * 2, 2.0)
                continue
            if attempt:
                logger.info("postgres: %s succeeded after %d retries", what, attempt)
            return result

    # -- the log -------------------------------------------------------------------------------
    def append(self, command: Command) -> Message:
        return self.append_many([command])[0]

    def append_many(self, commands: Sequence[Command]) -> list[Message]:
        rows = [(command.command_name(), command.to_json()) for command in commands]
        if not rows:
            return []
        taken: list[int] = []  # ids taken by an attempt whose commit may have gone through

        def append(conn: Conn) -> list[tuple[int, datetime]]:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._append_key,))
                if taken:  # the lock waits out that attempt's transaction: did it commit?
                    found = conn.execute(
                        "SELECT id, ts FROM petrock_messages WHERE id = ANY(%s) ORDER BY id",
                        (taken,),
                    ).fetchall()
                    if found:
                        return found
                    taken.clear()
                if len(rows) == 1:
                    stored = conn.execute(_INSERT_ONE, rows[0]).fetchall()
                else:
                    names, datas = [r[0] for r in rows], [r[1] for r in rows]
                    stored = sorted(conn.execute(_INSERT_MANY, (names, datas)).fetchall())
                taken.extend(row[0] for row in stored)
                conn.execute("SELECT pg_notify(%s, %s)", (self._channel, str(stored[-1][0])))
            return stored

        stored = self._retrying("append", append)
        out = [
            Message(i, ts, name, data, command)
            for (i, ts), (name, data), command in zip(stored, rows, commands, strict=True)
        ]
        if self._owner == threading.get_ident():
            self._unannounced.extend(m.id for m in out)  # visible once exclusive() commits
        else:
            self._new.seen(out[-1].id)
        return out

    def read_after(self, position: int, limit: int = 500) -> list[Message]:
        def read(conn: Conn) -> list[tuple[int, datetime, str, bytes]]:
            return conn.execute(_READ, (position, limit)).fetchall()

        return [Message(i, ts, t, d) for i, ts, t, d in self._retrying("read_after", read)]

    def last_id(self) -> int:
        return self._retrying("last_id", last_id)

    def wait_for_new(self, position: int, timeout: float) -> bool:
        self._ensure_listener()
        return self._new.wait(position, timeout)

    def wake(self) -> None:
        """Make every `wait_for_new` caller return now."""
        self._new.wake()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the append lock in one transaction for the block, against every process on this
        database: appends inside it commit (and notify) when it ends, an error rolls them back,
        and no one else appends meanwhile. Reentrant in the owning thread."""
        if self._owner == threading.get_ident():
            yield
            return
        if self._closed.is_set():
            raise PostgresUnavailable(f"exclusive: the log at {self._where} is closed")
        with self._locked() as conn:
            appended: list[int] = []
            self._owner, self._owned, self._unannounced = threading.get_ident(), conn, appended
            try:
                yield
            except BaseException:
                self._owner = self._owned = None
                with suppress_db_errors():
                    conn.execute("ROLLBACK")
                raise
            self._owner = self._owned = None
            try:
                conn.execute("COMMIT")
                cut_off = None
            except psycopg.OperationalError as error:
                cut_off = error
        if cut_off is not None and appended:  # checked elsewhere: the pool may have just one
            self._check_commit(cut_off, appended)
        if appended:
            self._new.seen(appended[-1])

    @contextmanager
    def _locked(self) -> Iterator[Conn]:
        """A pooled connection inside a transaction holding the append lock; reconnects with
        backoff (like `_retrying`) until it has one."""
        delay, started, attempt = 0.05, time.monotonic(), 0
        while True:
            with self._pool.hold() as conn:
                try:
                    conn.execute("BEGIN")
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._append_key,))
                except psycopg.OperationalError as error:
                    failure = error
                else:
                    yield conn
                    return
            attempt += 1
            waited = time.monotonic() - started
            if self._closed.is_set() or waited >= self._reconnect_timeout:
                raise PostgresUnavailable(
                    f"exclusive failed on {self._where} after {attempt} attempts over "
                    f"{waited:.1f}s: {line(failure)}"
                ) from failure
            logger.warning(
                "postgres: exclusive failed on %s (%s); retrying in %.2fs (attempt %d)",
                self._where, line(failure), delay, attempt,
            )  # fmt: skip
            self._closed.wait(delay)  # backoff between reconnect attempts
            delay = min(delay * 2, 2.0)

    def _check_commit(self, cut_off: psycopg.OperationalError, appended: list[int]) -> None:
        """The COMMIT of exclusive() was cut off: did it go through? (our ids are in the log)"""

        def committed(other: Conn) -> bool:
            with other.transaction():  # the lock waits out our transaction if still open
                other.execute("SELECT pg_advisory_xact_lock(%s)", (self._append_key,))
                sql = "SELECT count(*) FROM petrock_messages WHERE id = ANY(%s)"
                row = other.execute(sql, (appended,)).fetchone()
            return bool(row and row[0])

        if self._retrying("exclusive commit check", committed):
            return
        raise PostgresUnavailable(
            f"exclusive: commit on {self._where} was cut off and nothing was appended: "
            f"{line(cut_off)}"
        ) from cut_off

    def _in_exclusive(self, what: str, operation: Callable[[Conn], T], conn: Conn) -> T:
        """Run `operation` inside the exclusive transaction: no retry, its loss ends the block."""
        try:
            return operation(conn)
        except psycopg.OperationalError as error:
            raise PostgresUnavailable(
                f"{what} inside exclusive() failed on {self._where}: {line(error)}"
            ) from error

    # -- positions and dead letters ------------------------------------------------------------
    def load_position(self, worker: str) -> int:
        def load(conn: Conn) -> int:
            sql = "SELECT position FROM petrock_positions WHERE worker = %s"
            row = conn.execute(sql, (worker,)).fetchone()
            return int(row[0]) if row else 0

        return self._retrying("load_position", load)

    def commit(self, worker: str, position: int, dead_letters: Sequence[DeadLetter] = ()) -> None:
        if self._claims.commit(worker, position, dead_letters):
            return
        tried = False

        def commit(conn: Conn) -> None:
            nonlocal tried
            if tried and dead_letters:  # did the cut-off attempt commit? don't add them twice
                row = conn.execute(
                    "SELECT position FROM petrock_positions WHERE worker = %s", (worker,)
                ).fetchone()
                if row is not None and row[0] == position:
                    return
            tried = True
            write(conn, worker, position, dead_letters)

        self._retrying("commit", commit)

    def dead_letters(self, worker: str | None = None) -> list[DeadLetter]:
        query = (
            "SELECT worker, message_id, type, error, attempts, failed_at FROM petrock_dead_letters"
        )

        def read(conn: Conn) -> list[tuple[str, int, str, str, int, datetime]]:
            if worker is None:
                return conn.execute(query + " ORDER BY id").fetchall()
            return conn.execute(query + " WHERE worker = %s ORDER BY id", (worker,)).fetchall()

        return [DeadLetter(*row) for row in self._retrying("dead_letters", read)]

    # -- ownership across processes ------------------------------------------------------------
    def claim(self, worker: str) -> bool:
        """Try to become the one active instance of `worker` across every process on this
        database; True when this log holds (or already held) the lock."""
        return self._claims.claim(worker)

    def owns(self, worker: str) -> bool:
        """Whether this log still holds `worker`'s lock: a flag and a clock in the common case, a
        round trip on the claims connection when in doubt (see `_postgres_claims`)."""
        return self._claims.owns(worker)

    def release(self, worker: str) -> None:
        """Stop being the active instance of `worker`, so a standby can take over."""
        self._claims.release(worker)

    def close(self) -> None:
        """Close every connection (releasing every claim) and stop the listener."""
        if self._closed.is_set():
            return
        self._closed.set()
        self._new.wake()
        self._claims.close()
        listener = self._listener
        if listener is not None:
            with suppress_db_errors():  # interrupts the listener's wait for notifications
                self._pool.run(
                    lambda c: c.execute("SELECT pg_notify(%s, 'close')", (self._channel,))
                )
            listener.join(timeout=2 * self._poll_interval + 1)
        self._pool.close()

    # -- the listener --------------------------------------------------------------------------
    def _ensure_listener(self) -> None:
        if self._listener is not None or self._closed.is_set():
            return
        with self._start_lock:
            if self._listener is None:
                self._listener = threading.Thread(
                    target=self._listen, name=f"petrock-listen-{self._channel}", daemon=True
                )
                self._listener.start()

    def _listen(self) -> None:
        """LISTEN for appends from every process; poll `last_id()` while that is impossible."""
        lost_since: float | None = None
        while not self._closed.is_set():
            try:
                with self._connect("listen") as conn:
                    conn.execute(f"LISTEN {quote(self._channel)}")
                    self._new.seen(last_id(conn))  # catch up on appends made before LISTEN
                    if lost_since is not None:
                        logger.info(
                            "postgres: listening again on %s after %.1fs",
                            self._where, time.monotonic() - lost_since,
                        )  # fmt: skip
                        lost_since = None
                    while not self._closed.is_set():
                        for note in conn.notifies(timeout=self._poll_interval):
                            if self._closed.is_set():
                                return
                            if note.payload.isdigit():
                                self._new.seen(int(note.payload))
            except psycopg.Error as error:
                if self._closed.is_set():
                    return
                if lost_since is None:
                    lost_since = time.monotonic()
                    logger.warning(
                        "postgres: LISTEN connection to %s lost (%s); polling every %.1fs",
                        self._where, line(error), self._poll_interval,
                    )  # fmt: skip
                self._closed.wait(self._poll_interval)
                with suppress_db_errors():
                    self._new.seen(self._pool.run(last_id))

"""Connections of the PostgreSQL backend: the pool, the schema, and small helpers."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg

from petrock_runtime._errors import RuntimeFailure

__all__ = [
    "Conn",
    "Pool",
    "PostgresUnavailable",
    "create_schema",
    "describe_target",
    "key",
    "last_id",
    "line",
    "quote",
    "suppress_db_errors",
]

logger = logging.getLogger("petrock_runtime.postgres")

T = TypeVar("T")
_IDLE = psycopg.pq.TransactionStatus.IDLE  # a pooled connection must be outside any transaction
Conn = psycopg.Connection[Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS petrock_messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ts TIMESTAMPTZ NOT NULL DEFAULT now(),
    type TEXT NOT NULL,
    data BYTEA NOT NULL
);
CREATE TABLE IF NOT EXISTS petrock_positions (
    worker TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS petrock_dead_letters (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    worker TEXT NOT NULL,
    message_id BIGINT NOT NULL,
    type TEXT NOT NULL,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS petrock_dead_letters_worker ON petrock_dead_letters (worker, id);
"""
_EXISTING = (
    "SELECT current_schema(), to_regclass('petrock_messages') IS NOT NULL"
    " AND to_regclass('petrock_positions') IS NOT NULL"
    " AND to_regclass('petrock_dead_letters') IS NOT NULL"
)


class PostgresUnavailable(RuntimeFailure):
    """The server could not be reached (at open, or for longer than `reconnect_timeout`)."""


class Pool:
    """A few connections shared by threads; broken ones are dropped and replaced on demand."""

    def __init__(self, connect: Callable[[], Conn], size: int) -> None:
        self._connect = connect
        self._size = size
        self._idle: list[Conn] = []
        self._open = 0
        self._cond = threading.Condition(threading.Lock())

    def run(self, operation: Callable[[Conn], T]) -> T:
        with self.hold() as conn:
            return operation(conn)

    @contextmanager
    def hold(self) -> Iterator[Conn]:
        """A connection of the pool for the block (opened when none is idle)."""
        with self._cond:
            while not self._idle and self._open >= self._size:
                self._cond.wait()
            conn = self._idle.pop() if self._idle else None
            if conn is None:
                self._open += 1
        try:
            if conn is None:
                conn = self._connect()
            yield conn
        finally:
            with self._cond:
                if (
                    conn is None
                    or conn.closed
                    or conn.broken
                    or conn.info.transaction_status != _IDLE  # e.g. a ROLLBACK that failed
                ):
                    self._open -= 1
                    if conn is not None:
                        conn.close()
                else:
                    self._idle.append(conn)
                self._cond.notify()

    def close(self) -> None:
        with self._cond:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def create_schema(conn: Conn) -> str:
    """Create the tables when missing (skipped when they exist: the app's role may lack CREATE);
    returns the schema they live in."""
    row = conn.execute(_EXISTING).fetchone()
    if row is None or row[0] is None:
        raise PostgresUnavailable("no current schema: set search_path to an existing schema")
    if not row[1]:
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (key("schema"),))
                conn.execute(_SCHEMA)
        except psycopg.errors.InsufficientPrivilege as error:
            raise PostgresUnavailable(
                f"cannot create the petrock tables in schema {row[0]!r}: {line(error)}; open the "
                "log once as a role that may (e.g. the schema's owner), or grant CREATE on it"
            ) from None
    return str(row[0])


def last_id(conn: Conn) -> int:
    row = conn.execute("SELECT COALESCE(MAX(id), 0) FROM petrock_messages").fetchone()
    return int(row[0]) if row else 0


def key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for `name`."""
    digest = hashlib.blake2b(f"petrock:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def describe_target(params: dict[str, Any]) -> str:
    """host:port/dbname, never the password."""
    host = params.get("host") or params.get("hostaddr") or "localhost"
    port = params.get("port") or "5432"
    return f"{host}:{port}/{params.get('dbname') or params.get('user') or ''}"


def line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


@contextmanager
def suppress_db_errors() -> Iterator[None]:
    try:
        yield
    except psycopg.Error as error:
        logger.debug("postgres: ignored %s", line(error))

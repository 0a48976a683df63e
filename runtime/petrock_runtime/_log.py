"""The message log interface every backend implements (memory, SQLite, PostgreSQL).

A backend stores three things in one database, so that a worker's position and its dead letters
commit together: the log itself, each worker's position, and dead letters.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import ClassVar

from petrock_runtime._command import Command
from petrock_runtime._errors import UserError
from petrock_runtime._message import DeadLetter, Message

__all__ = ["MessageLog", "open_log"]


class MessageLog(ABC):
    """An append-only log of messages, plus worker positions and dead letters.

    A backend whose `read_after` builds new `Message` objects on every call (nothing else holds
    them) sets `fresh_reads = True`; the runtime then fills in `payload` in place instead of
    copying each message, which is measurably faster on the hot path.
    """

    fresh_reads: ClassVar[bool] = False

    # -- the log ---------------------------------------------------------------------------------
    @abstractmethod
    def append(self, command: Command) -> Message:
        """Append one command; returns the stored message (payload set to `command`)."""

    @abstractmethod
    def append_many(self, commands: Sequence[Command]) -> list[Message]:
        """Append several commands in one transaction, in order."""

    @abstractmethod
    def read_after(self, position: int, limit: int = 500) -> list[Message]:
        """Up to `limit` messages with id > position, in id order, payload None (not decoded).

        Never returns an id while a smaller id may still be committed later (no skipped ids)."""

    @abstractmethod
    def last_id(self) -> int:
        """The highest id in the log, 0 when empty."""

    @abstractmethod
    def wait_for_new(self, position: int, timeout: float) -> bool:
        """Block until a message with id > position may exist or `timeout` seconds pass.

        Returns True when woken (new messages likely), False on timeout. Appends in the same
        process wake waiters at once; other processes are seen by polling or notification."""

    # -- positions and dead letters ------------------------------------------------------------
    @abstractmethod
    def load_position(self, worker: str) -> int:
        """The saved position of `worker` (0 when it never committed)."""

    @abstractmethod
    def commit(self, worker: str, position: int, dead_letters: Sequence[DeadLetter] = ()) -> None:
        """Save `worker`'s position and add `dead_letters`, in one transaction."""

    @abstractmethod
    def dead_letters(self, worker: str | None = None) -> list[DeadLetter]:
        """Dead letters, oldest first, of one worker or all."""

    # -- ownership across processes ------------------------------------------------------------
    def claim(self, worker: str) -> bool:
        """Try to become the one active instance of `worker`; single-process backends say yes."""
        return True

    def owns(self, worker: str) -> bool:
        """Whether `worker`, claimed through this log, is still ours; asked before every batch, so
        it must be cheap. Backends whose claims cannot be lost behind the claimer's back say yes."""
        return True

    def release(self, worker: str) -> None:  # noqa: B027 - optional hook
        """Give up being the active instance of `worker`."""

    def exclusive(self) -> AbstractContextManager[None]:
        """A block during which no other writer, in any process, appends; appends made inside it
        may become visible only when it ends. The executor runs catch-up, feature checks and the
        append inside it, so two processes cannot both pass validation on stale state. Backends
        used by one process at a time need nothing (the executor's own lock suffices)."""
        return nullcontext()

    def wake(self) -> None:  # noqa: B027 - optional hook
        """Make every `wait_for_new` caller return now (used when stopping); optional."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections and files."""


def open_log(url: str) -> MessageLog:
    """Open a backend from a URL: `memory://`, `sqlite:///relative.db`, `sqlite:////abs/path.db`,
    or `postgresql://...` (needs the `postgres` extra)."""
    if url in ("memory://", "memory:"):
        from petrock_runtime._memory import MemoryMessageLog

        return MemoryMessageLog()
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if not path or path == ":memory:":
            raise UserError(
                f"log URL {url!r} names no database file",
                hint='use "sqlite:///app.db", or "memory://" for an in-memory log',
            )
        from petrock_runtime._sqlite import SQLiteMessageLog

        return SQLiteMessageLog(path)
    if url.startswith(("postgresql://", "postgres://")):
        try:  # written by the PostgreSQL backend; needs psycopg
            module = importlib.import_module("petrock_runtime._postgres")
        except ImportError as error:
            raise UserError(
                f"cannot open {url.split('@')[-1]!r}: PostgreSQL support is not installed ({error})",
                hint="pip install 'petrock-runtime[postgres]'",
            ) from None
        log: MessageLog = module.PostgresMessageLog(url)
        return log
    raise UserError(
        f"unsupported log URL {url!r}",
        hint='use "sqlite:///app.db", "memory://" or "postgresql://user@host/db"',
    )

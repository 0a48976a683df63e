"""Command workers: handlers registered per command, typed state, periodic work, retries.

    def handle_charge(ctx: WorkerContext[BillingState], cmd: Charge, msg: Message) -> None:
        ctx.state.pending[cmd.invoice_id] = msg.id   # always: rebuilds state, also during replay
        if ctx.is_replay:
            return                                   # side effects only when live
        ctx.execute(MarkCharged(invoice_id=cmd.invoice_id))

Handlers and periodic work may be `def` or `async def`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeAlias, TypeVar

from petrock_gen.runtime._command import Command
from petrock_gen.runtime._message import Message

__all__ = [
    "CommandWorker",
    "Handler",
    "PeriodicWork",
    "Retry",
    "RetryPolicy",
    "WorkerContext",
    "WorkerInfo",
    "WorkerStats",
]

S = TypeVar("S")
C = TypeVar("C", bound=Command)

Handler: TypeAlias = Callable[["WorkerContext[S]", C, Message], Awaitable[None] | None]
UnknownHandler: TypeAlias = Callable[["WorkerContext[S]", Message], Awaitable[None] | None]
PeriodicWork: TypeAlias = Callable[["WorkerContext[S]"], Awaitable[None] | None]


class Retry(Exception):
    """Raised by a handler to ask for the message to be retried after `after` seconds."""

    def __init__(self, after: float | None = None, reason: str = "") -> None:
        super().__init__(reason or "retry requested")
        self.after = after
        self.reason = reason


@dataclass(frozen=True)
class RetryPolicy:
    """How failing messages are retried: exponential backoff with jitter, then dead letter or halt."""

    max_attempts: int = 5
    initial_delay: float = 0.1
    max_delay: float = 30.0
    multiplier: float = 2.0
    jitter: float = 0.2
    on_exhausted: Literal["dead_letter", "halt"] = "dead_letter"


@dataclass
class WorkerStats:
    """Counters of one worker; `lag` is the log's last id minus the worker's position."""

    processed: int = 0
    replayed: int = 0
    failed: int = 0
    retried: int = 0
    dead_lettered: int = 0
    position: int = 0
    lag: int = 0
    last_error: str | None = None
    halted: bool = False


@dataclass(frozen=True)
class WorkerInfo:
    """What a worker is: name, description, handled commands, periodic interval, current stats."""

    name: str
    description: str
    commands: tuple[str, ...]
    handles_unknown: bool
    periodic_every: float | None
    stats: WorkerStats


class WorkerContext(Generic[S]):
    """What handlers and periodic work get: `state`, `is_replay`, `execute`, `logger`, `stopping`."""

    state: S
    is_replay: bool
    logger: logging.LoggerAdapter[logging.Logger]
    stopping: threading.Event
    worker_name: str

    def execute(self, command: Command) -> Message:
        """Run a command through the app's executor; raises `ReplayError` while replaying."""
        raise NotImplementedError


class CommandWorker(Generic[S]):
    """A background worker: handlers per command, typed state, optional periodic work."""

    def __init__(
        self,
        name: str,
        description: str = "",
        *,
        state: S,
        retry: RetryPolicy | None = None,
        batch_size: int = 500,
    ) -> None:
        raise NotImplementedError

    @property
    def name(self) -> str:
        raise NotImplementedError

    @property
    def state(self) -> S:
        raise NotImplementedError

    def on_command(self, command: type[C] | str, handler: Handler[S, C]) -> None:
        """Handle `command` (a class, or its name) with `handler`; one handler per command."""
        raise NotImplementedError

    def on_unknown(self, handler: UnknownHandler[S]) -> None:
        """Handle every message no `on_command` handler matches (decoded or not)."""
        raise NotImplementedError

    def set_periodic_work(self, work: PeriodicWork[S], every: float) -> None:
        """Run `work` every `every` seconds while live (never during replay)."""
        raise NotImplementedError

    def registered_commands(self) -> list[str]:
        """The names of the handled commands, in registration order."""
        raise NotImplementedError

    def info(self) -> WorkerInfo:
        """Name, description, commands, periodic interval and current stats."""
        raise NotImplementedError

    @property
    def stats(self) -> WorkerStats:
        raise NotImplementedError

    def _unused(self) -> Any:  # placeholder to keep the skeleton importable
        return None

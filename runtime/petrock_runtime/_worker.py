"""Command workers: handlers registered per command, typed state, periodic work, retries.

    def handle_charge(ctx: WorkerContext[BillingState], cmd: Charge, msg: Message) -> None:
        ctx.state.pending[cmd.invoice_id] = msg.id   # always: rebuilds state, also during replay
        if ctx.is_replay:
            return                                   # side effects only when live
        ctx.execute(MarkCharged(invoice_id=cmd.invoice_id))

Handlers and periodic work may be `def` or `async def`.
"""

from __future__ import annotations

import dataclasses
import inspect
import logging
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, NamedTuple, TypeAlias, TypeVar

from petrock_runtime._command import Command
from petrock_runtime._errors import ReplayError, RuntimeFailure
from petrock_runtime._message import Message

__all__ = [
    "CommandWorker",
    "Handler",
    "PeriodicWork",
    "Retry",
    "RetryPolicy",
    "Route",
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
    """Raised by a handler to ask for the message to be retried after `after` seconds.

    `after=None` uses the worker's backoff. A retry counts as an attempt of the `RetryPolicy`
    budget, so a message that keeps asking is dead-lettered (or halts the worker) in the end.
    Later messages wait: order is kept per worker. A stop interrupts the wait; the message is
    then handled again after the restart.
    """

    def __init__(self, after: float | None = None, reason: str = "") -> None:
        super().__init__(reason or "retry requested")
        self.after = after
        self.reason = reason


@dataclass(frozen=True)
class RetryPolicy:
    """How failing messages are retried: exponential backoff with jitter, then dead letter or halt.

    Attempt n (1-based) failing waits `initial_delay * multiplier**(n-1)`, capped at `max_delay`
    and spread by +/- `jitter` (a fraction). After `max_attempts` failed attempts the message is
    written to the dead letters with its error and the worker moves on ("dead_letter"), or the
    worker stops at it, position unmoved, and `WorkerHalted` is raised ("halt").
    """

    max_attempts: int = 5
    initial_delay: float = 0.1
    max_delay: float = 30.0
    multiplier: float = 2.0
    jitter: float = 0.2
    on_exhausted: Literal["dead_letter", "halt"] = "dead_letter"

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("RetryPolicy.max_attempts must be at least 1")
        if self.on_exhausted not in ("dead_letter", "halt"):
            raise ValueError('RetryPolicy.on_exhausted must be "dead_letter" or "halt"')

    def delay(self, attempt: int, random: Callable[[], float]) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based): exponential backoff,
        capped at `max_delay`, spread by +/- `jitter` (a fraction) using `random()` in [0, 1)."""
        base = min(self.max_delay, self.initial_delay * self.multiplier ** (attempt - 1))
        return max(0.0, base * (1.0 + self.jitter * (2.0 * random() - 1.0)))


@dataclass
class WorkerStats:
    """Counters of one worker; `lag` is the log's last id minus the worker's position.

    `processed` counts messages handled live, `replayed` those handled with `is_replay=True`,
    `failed` failed handler attempts (`Retry` requests and replay failures included), `retried`
    attempts scheduled again, `dead_lettered` messages given up on. `standby` is True while another process owns the worker.
    """

    processed: int = 0
    replayed: int = 0
    failed: int = 0
    retried: int = 0
    dead_lettered: int = 0
    position: int = 0
    lag: int = 0
    last_error: str | None = None
    halted: bool = False
    periodic_runs: int = 0
    periodic_failed: int = 0
    standby: bool = False


@dataclass(frozen=True)
class WorkerInfo:
    """What a worker is: name, description, handled commands, periodic interval, current stats."""

    name: str
    description: str
    commands: tuple[str, ...]
    handles_unknown: bool
    periodic_every: float | None
    stats: WorkerStats


class _MessageLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """Adds worker, command and message id (of the message in hand) to every record."""

    def __init__(self, logger: logging.Logger, context: WorkerContext[Any]) -> None:
        super().__init__(logger, {"worker": context.worker_name})
        self._context = context

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, Any]:
        message = self._context.message
        extra = {
            "worker": self._context.worker_name,
            "command": None if message is None else message.type,
            "message_id": None if message is None else message.id,
        }
        extra.update(kwargs.get("extra") or {})
        kwargs["extra"] = extra
        return msg, kwargs


class WorkerContext(Generic[S]):
    """What handlers and periodic work get: `state`, `is_replay`, `execute`, `logger`, `stopping`.

    `message` is the message in hand (None in periodic work). `logger` records carry the worker,
    command and message id as `extra` fields.
    """

    state: S
    is_replay: bool
    logger: logging.LoggerAdapter[logging.Logger]
    stopping: threading.Event
    worker_name: str
    message: Message | None

    def __init__(
        self,
        worker_name: str,
        state: S,
        *,
        execute: Callable[[Command], Message] | None = None,
        stopping: threading.Event | None = None,
    ) -> None:
        self.worker_name = worker_name
        self.state = state
        self.is_replay = False
        self.message = None
        self.stopping = stopping if stopping is not None else threading.Event()
        self._execute = execute
        self.logger = _MessageLogger(logging.getLogger("petrock_runtime.worker"), self)

    def execute(self, command: Command) -> Message:
        """Run a command through the app's executor; raises `ReplayError` while replaying."""
        if self.is_replay:
            raise ReplayError(
                f"worker {self.worker_name!r} called execute({command.command_name()}) while "
                "replaying; guard side effects with `if ctx.is_replay: return`"
            )
        if self._execute is None:
            raise RuntimeFailure(f"worker {self.worker_name!r} is not registered with an app")
        return self._execute(command)


class Route(NamedTuple):
    """One registration: the command class (None when registered by name) and its handler."""

    command: type[Command] | None
    handler: Callable[..., Any]
    is_async: bool


class CommandWorker(Generic[S]):
    """A background worker: handlers per command, typed state, optional periodic work.

    `retry` sets how failing messages are retried; `batch_size` how many messages are read (and
    committed) at a time.
    """

    def __init__(
        self,
        name: str,
        description: str = "",
        *,
        state: S,
        retry: RetryPolicy | None = None,
        batch_size: int = 500,
    ) -> None:
        if not name.strip():
            raise ValueError("a worker needs a non-empty name")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._name = name
        self.description = description
        self._state = state
        self.retry = retry or RetryPolicy()
        self.batch_size = batch_size
        self._routes: dict[str, Route] = {}
        self._unknown: Route | None = None
        self._periodic: tuple[Callable[..., Any], float] | None = None
        self._stats = WorkerStats()

    @property
    def name(self) -> str:
        """The worker's unique name (its position is saved under it)."""
        return self._name

    @property
    def state(self) -> S:
        """The worker's state object, rebuilt by replay and changed by handlers."""
        return self._state

    @property
    def routes(self) -> dict[str, Route]:
        """Command name -> registration (read-only use)."""
        return self._routes

    @property
    def unknown_route(self) -> Route | None:
        """The `on_unknown` registration, if any."""
        return self._unknown

    @property
    def periodic(self) -> tuple[Callable[..., Any], float] | None:
        """(work, every) of the periodic work, if any."""
        return self._periodic

    def on_command(self, command: type[C] | str, handler: Handler[S, C]) -> None:
        """Handle `command` (a class, or its name) with `handler`; one handler per command."""
        if isinstance(command, str):
            name, cls = command, None
        elif isinstance(command, type) and issubclass(command, Command):
            name, cls = command.command_name(), command
        else:
            raise TypeError(f"on_command expects a Command class or a name, not {command!r}")
        if name in self._routes:
            raise ValueError(f"worker {self._name!r} already handles {name!r}")
        self._routes[name] = Route(cls, handler, inspect.iscoroutinefunction(handler))

    def on_unknown(self, handler: UnknownHandler[S]) -> None:
        """Handle every message no `on_command` handler matches (decoded or not)."""
        self._unknown = Route(None, handler, inspect.iscoroutinefunction(handler))

    def set_periodic_work(self, work: PeriodicWork[S], every: float) -> None:
        """Run `work` every `every` seconds while live (never during replay)."""
        if every <= 0:
            raise ValueError("periodic work needs every > 0 seconds")
        self._periodic = (work, float(every))

    def registered_commands(self) -> list[str]:
        """The names of the handled commands, in registration order."""
        return list(self._routes)

    def info(self) -> WorkerInfo:
        """Name, description, commands, periodic interval and current stats (a copy)."""
        return WorkerInfo(
            name=self._name,
            description=self.description,
            commands=tuple(self._routes),
            handles_unknown=self._unknown is not None,
            periodic_every=None if self._periodic is None else self._periodic[1],
            stats=dataclasses.replace(self._stats),
        )

    @property
    def stats(self) -> WorkerStats:
        """The live counters (updated by the worker's runner)."""
        return self._stats

    def __repr__(self) -> str:
        return f"CommandWorker({self._name!r}, commands={len(self._routes)})"

"""The test kit: in-memory apps and replay checks for generated and hand-written tests.

app = make_test_app()
billing.register(app)
app.execute(Charge(invoice_id="inv-1", amount_cents=100))
app.run_until_idle()
assert app.dead_letters() == []
replayed = replay_state(app, billing.worker.build_worker)   # state rebuilt with is_replay=True

`make_test_app()` runs on a `FakeClock`: retry waits and `Retry(after=...)` take no real time and
are recorded in `clock.sleeps`. Side effects go through ports on a worker's state; tests swap in
fakes that record what was asked, and refuse connections beyond this machine:

mailer = Recorder()
fake_ports(app, mailer=mailer)                              # every state with a `mailer` port
with no_outside_calls(): ...                                # generated projects: tests/conftest.py
assert mailer.names() == ["send"]
 `MessageLogContract` is the abstract test suite every log backend
passes (it needs pytest).
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from petrock_runtime._app import App
from petrock_runtime._command import Command, CommandRegistry
from petrock_runtime._errors import DecodeError
from petrock_runtime._fakes import (
    OutsideCallError,
    PortCall,
    Recorder,
    fake_ports,
    no_outside_calls,
)
from petrock_runtime._message import Message
from petrock_runtime._worker import CommandWorker, WorkerContext

if TYPE_CHECKING:
    from petrock_runtime._contract import MessageLogContract

__all__ = [
    "FakeClock",
    "MessageLogContract",
    "OutsideCallError",
    "PortCall",
    "Recorder",
    "fake_ports",
    "make_test_app",
    "no_outside_calls",
    "replay_state",
]

S = TypeVar("S")


class FakeClock:
    """A clock whose sleeps return at once and advance its time; `sleeps` records each one."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        """The fake time."""
        return self.now

    def sleep(self, seconds: float, interrupt: threading.Event) -> bool:
        """Advance the time by `seconds` at once; True when `interrupt` is already set."""
        with self._lock:
            self.sleeps.append(seconds)
            self.now += max(seconds, 0.0)
        return interrupt.is_set()

    def advance(self, seconds: float) -> None:
        """Move the time forward (e.g. to make periodic work due)."""
        with self._lock:
            self.now += seconds


def make_test_app(
    log_url: str = "memory://", *, clock: FakeClock | None = None, seed: int = 0
) -> App:
    """An app on an in-memory log (or the given URL), ready for `execute` and `run_until_idle`.

    Time is a `FakeClock` (`app.clock`), so retries and backoff take no real time."""
    return App(log_url, name="test", clock=clock if clock is not None else FakeClock(), seed=seed)


def replay_state(app: App, build_worker: Callable[[], CommandWorker[S]]) -> S:
    """Build a fresh worker, replay the whole log of `app` through it with `is_replay=True`, and
    return its state. Raises if a handler fails or attempts `ctx.execute` during replay."""
    worker = build_worker()
    registry = CommandRegistry()
    for name in app.registry.names():
        known = app.registry.get(name)
        if known is not None:
            registry.register(known)
    ctx: WorkerContext[S] = WorkerContext(worker.name, worker.state)
    ctx.is_replay = True
    loop: asyncio.AbstractEventLoop | None = None
    position = 0
    try:
        while batch := app.log.read_after(position, 500):
            for message in batch:
                position = message.id
                call = _replay_call(worker, registry, message)
                if call is None:
                    continue
                ctx.message = message
                try:
                    result = call(ctx)
                    if result is not None and inspect.isawaitable(result):
                        loop = loop or asyncio.new_event_loop()
                        loop.run_until_complete(result)
                except Exception as error:
                    error.add_note(f"while replaying message {message.id} ({message.type})")
                    raise
    finally:
        if loop is not None:
            loop.close()
    return worker.state


def _replay_call(
    worker: CommandWorker[Any], registry: CommandRegistry, message: Message
) -> Callable[[WorkerContext[Any]], Any] | None:
    """How the worker handles `message` (a handler, `on_unknown`, or nothing), as the live
    runner would; raises `DecodeError` for a handled message that cannot be decoded."""
    route = worker.routes.get(message.type)
    if route is None:
        unknown = worker.unknown_route
        if unknown is None:
            return None
        try:
            payload: Command | None = registry.decode(message.type, message.data)
        except (KeyError, ValueError):
            payload = None
        decoded = Message(message.id, message.timestamp, message.type, message.data, payload)
        return lambda ctx: unknown.handler(ctx, decoded)
    cls = route.command or registry.get(message.type)
    if cls is None:
        raise DecodeError(message.id, f"no command class is registered for {message.type!r}")
    try:
        command = cls.from_json(message.data)
    except (ValueError, TypeError) as error:
        raise DecodeError(message.id, str(error)) from None
    full = Message(message.id, message.timestamp, message.type, message.data, command)
    return lambda ctx: route.handler(ctx, command, full)


def __getattr__(name: str) -> Any:
    # The contract suite imports pytest: load it only when asked for.
    if name == "MessageLogContract":
        from petrock_runtime._contract import MessageLogContract

        return MessageLogContract
    raise AttributeError(name)

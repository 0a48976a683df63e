"""Runs one worker over the log: replay to the saved position, then live with retries.

The runner owns the worker's position. Everything up to `position` has been handled (live or
replayed); `committed` is what the log has saved. Positions and dead letters are committed once
per batch, together. A crash re-delivers at most the uncommitted batch; nothing is skipped.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import random
import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from petrock_runtime._clock import Clock
from petrock_runtime._command import Command, CommandRegistry, codec_of
from petrock_runtime._errors import ClaimLost, WorkerHalted
from petrock_runtime._log import MessageLog
from petrock_runtime._message import DeadLetter, Message
from petrock_runtime._worker import CommandWorker, Retry, Route, WorkerContext

__all__ = ["WorkerRunner"]

_logger = logging.getLogger("petrock_runtime.worker")


_MISSING: Any = object()
_SKIP: Any = object()
# the slot's own setter: fills `payload` of a frozen Message the runner itself just read
_set_payload: Callable[[Message, Command], None] = vars(Message)["payload"].__set__
_raw_decode = json.JSONDecoder().raw_decode


class _Undecodable(Exception):
    """The message in hand cannot be turned into its command."""


class WorkerRunner:
    """Delivers messages to one worker: replay, live processing, retries, dead letters, commits."""

    def __init__(
        self,
        worker: CommandWorker[Any],
        log: MessageLog,
        registry: CommandRegistry,
        *,
        execute: Callable[[Command], Message] | None,
        clock: Clock,
        stopping: threading.Event,
        seed: int | None = None,
        commit_interval: float = 1.0,
    ) -> None:
        self.worker = worker
        self.name = worker.name
        self.log = log
        self.registry = registry
        self.clock = clock
        self.stopping = stopping
        self.stats = worker.stats
        self.ctx: WorkerContext[Any] = WorkerContext(
            worker.name, worker.state, execute=execute, stopping=stopping
        )
        self.position = 0
        self.committed = 0
        self.claimed = False
        self.halted = False
        self._pending: list[DeadLetter] = []
        self._random = random.Random(seed).random
        self._commit_interval = commit_interval
        self._last_commit = clock.monotonic()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._plans: dict[str, Any] = {}
        self.next_periodic = clock.monotonic()

    # -- replay --------------------------------------------------------------------------------
    def catch_up(self) -> None:
        """Replay (`is_replay=True`) from the current position up to the worker's saved position."""
        saved = self.log.load_position(self.name)
        while self.position < saved:
            batch = self.log.read_after(self.position, self.worker.batch_size)
            if not batch:
                break
            for message in batch:
                if message.id > saved:
                    break
                self._replay_one(message)
                self.position = message.id
            else:
                continue
            break
        self.position = max(self.position, saved)
        self.committed = saved

    def _replay_one(self, message: Message) -> None:
        route = self.worker.routes.get(message.type) or self.worker.unknown_route
        if route is None:
            return
        ctx = self.ctx
        ctx.is_replay = True
        try:
            delivered = self._decoded(message, route)
            self._call(route, delivered)
            self.stats.replayed += 1
        except Exception as error:
            self.stats.failed += 1
            self.stats.last_error = _describe(error)
            _logger.warning(
                "replay of message %s failed in %r: %s",
                message.id,
                self.name,
                self.stats.last_error,
                extra=_extra(self.name, message),
            )
        finally:
            ctx.is_replay = False
            ctx.message = None

    # -- live ----------------------------------------------------------------------------------
    def drain(self) -> bool:
        """Process every available message live, committing per batch; True if any was read.

        Stops early when `stopping` is set (after the message in hand). Raises `WorkerHalted` when
        the retry policy says halt, `ClaimLost` before a batch when the log no longer confirms the
        claim (the caller stands by and claims again)."""
        # A batch whose commit failed (the log went away) is committed before anything new is
        # handled: the commit is what finds out that another instance took the worker over
        # meanwhile (`ClaimLost`), so handling on first would run two instances at once.
        self.commit()
        progress = False
        while not self.stopping.is_set() and not self.halted:
            batch = self.log.read_after(self.position, self.worker.batch_size)
            if not batch:
                break
            if self.claimed and not self.log.owns(self.name):  # claims can be lost (PostgreSQL)
                raise ClaimLost(self.name, "its claim may have been taken over; not handling")
            progress = True
            handled = self._process(batch)
            due = self.clock.monotonic() - self._last_commit >= self._commit_interval
            if handled or self._pending or due:
                self.commit()
        return progress

    def _process(self, batch: list[Message]) -> bool:
        # The per-message hot loop, kept in one function on purpose (calls cost here): a first
        # attempt that decodes and succeeds never leaves it; everything else goes to _deliver.
        plans = self._plans
        stopping = self.stopping
        ctx = self.ctx
        fresh = self.log.fresh_reads
        handled = False
        quick = 0  # handled on the first attempt through the fast path below
        try:
            for message in batch:
                kind = message.type
                plan = plans.get(kind, _MISSING)
                if plan is _MISSING:
                    plan = plans[kind] = self._plan(kind)
                if plan is _SKIP:
                    self.position = message.id
                    continue
                if stopping.is_set():
                    break
                handled = True
                if type(plan) is Route:  # decoded and delivered the careful way
                    if not self._deliver(message, plan):
                        break
                    self.position = message.id
                    continue
                decode, handler, route = plan
                try:
                    # compact JSON bytes, as to_json() writes them; anything else (whitespace,
                    # bad data, other types) takes the careful path, which uses json.loads
                    text = message.data.decode()
                    raw, end = _raw_decode(text)
                    if end != len(text):
                        raise ValueError("trailing data")
                    payload = decode(raw)
                except Exception:
                    if not self._deliver(message, route):
                        break
                    self.position = message.id
                    continue
                if fresh:  # our own new object: complete it rather than copy it
                    _set_payload(message, payload)
                    delivered = message
                else:
                    delivered = Message(message.id, message.timestamp, kind, message.data, payload)
                ctx.message = delivered
                try:
                    result = handler(ctx, payload, delivered)
                    if result is not None:
                        self._await_result(route, result)
                    quick += 1
                except Exception as error:
                    if not self._deliver(message, route, delivered, error):
                        break
                self.position = message.id
        finally:
            self.stats.processed += quick
            self.stats.position = self.position
            ctx.message = None
        return handled

    def _plan(self, kind: str) -> Any:
        """How messages of `kind` are delivered: `_SKIP` (not handled), a `Route` (the careful
        way: on_unknown, or no class known yet), or (decode, handler, route) for the fast path."""
        route = self.worker.routes.get(kind)
        if route is None:
            return _SKIP if self.worker.unknown_route is None else self.worker.unknown_route
        cls = route.command or self.registry.get(kind)
        if cls is None:
            return route
        return (codec_of(cls).fast_decode, route.handler, route)

    def _await_result(self, route: Route, result: Any) -> None:
        if route.is_async or inspect.isawaitable(result):
            self._await(result)

    def _deliver(
        self,
        message: Message,
        route: Route,
        delivered: Message | None = None,
        first_error: Exception | None = None,
    ) -> bool:
        """Handle one message live, retrying; False when a stop interrupted a retry wait.

        With `first_error`, the first attempt already happened (in the fast path) and failed."""
        if delivered is None:
            try:
                delivered = self._decoded(message, route)
            except _Undecodable as error:
                self.stats.failed += 1
                self._give_up(message, f"cannot decode: {error}", 1)
                return True
        attempt = 0
        while True:
            attempt += 1
            try:
                if first_error is not None:
                    earlier, first_error = first_error, None
                    raise earlier
                self._call(route, delivered)
            except Exception as error:
                delay = self._failed(message, error, attempt)
                if delay is None:
                    return True
                if self.clock.sleep(delay, self.stopping):
                    return False
            else:
                self.stats.processed += 1
                self.ctx.message = None
                return True

    def _decoded(self, message: Message, route: Route) -> Message:
        cls = route.command
        if route is self.worker.unknown_route:
            try:
                payload: Command | None = self.registry.decode(message.type, message.data)
            except (KeyError, ValueError):
                payload = None
            return Message(message.id, message.timestamp, message.type, message.data, payload)
        if cls is None:
            cls = self.registry.get(message.type)
            if cls is None:
                raise _Undecodable(f"no command class is registered for {message.type!r}")
        try:
            payload = cls.from_json(message.data)
        except (ValueError, TypeError) as error:
            raise _Undecodable(str(error)) from None
        return Message(message.id, message.timestamp, message.type, message.data, payload)

    def _call(self, route: Route, message: Message) -> None:
        ctx = self.ctx
        ctx.message = message
        if route is self.worker.unknown_route:
            result = route.handler(ctx, message)
        else:
            result = route.handler(ctx, message.payload, message)
        if result is not None and (route.is_async or inspect.isawaitable(result)):
            self._await(result)

    def _await(self, awaitable: Awaitable[Any]) -> None:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(awaitable)

    def _failed(self, message: Message, error: Exception, attempt: int) -> float | None:
        """Count a failed attempt; the delay before the next one, or None when given up."""
        stats = self.stats
        stats.failed += 1
        stats.last_error = _describe(error)
        policy = self.worker.retry
        if attempt >= policy.max_attempts:
            self._give_up(message, stats.last_error, attempt)
            return None
        stats.retried += 1
        if isinstance(error, Retry) and error.after is not None:
            delay = max(0.0, error.after)
        else:
            delay = policy.delay(attempt, self._random)
        _logger.info(
            "worker %r: message %s failed (attempt %d of %d), retrying in %.3fs: %s",
            self.name,
            message.id,
            attempt,
            policy.max_attempts,
            delay,
            stats.last_error,
            extra=_extra(self.name, message),
        )
        return delay

    def _give_up(self, message: Message, error: str, attempts: int) -> None:
        self.ctx.message = None
        self.stats.last_error = error
        if self.worker.retry.on_exhausted == "halt":
            self.halted = self.stats.halted = True
            self.commit()
            _logger.error(
                "worker %r halted at message %s: %s",
                self.name,
                message.id,
                error,
                extra=_extra(self.name, message),
            )
            raise WorkerHalted(self.name, message.id, error)
        now = datetime.now(UTC)
        self._pending.append(DeadLetter(self.name, message.id, message.type, error, attempts, now))
        self.stats.dead_lettered += 1
        _logger.error(
            "worker %r: message %s dead-lettered after %d attempt(s): %s",
            self.name,
            message.id,
            attempts,
            error,
            extra=_extra(self.name, message),
        )

    # -- periodic work and commits ---------------------------------------------------------------
    def run_periodic(self) -> None:
        """Run the periodic work once (live); errors are counted and logged, never raised."""
        periodic = self.worker.periodic
        if periodic is None or self.halted:
            return
        work, every = periodic
        self.next_periodic = self.clock.monotonic() + every
        self.ctx.message = None
        try:
            result = work(self.ctx)
            if result is not None and inspect.isawaitable(result):
                self._await(result)
            self.stats.periodic_runs += 1
        except Exception as error:
            self.stats.periodic_failed += 1
            self.stats.last_error = _describe(error)
            _logger.exception("periodic work of %r failed", self.name, extra=_extra(self.name))

    def commit(self) -> None:
        """Save the position and pending dead letters (one transaction), if anything changed."""
        if self.position == self.committed and not self._pending:
            return
        self.log.commit(self.name, self.position, self._pending)
        self.committed = self.position
        self._pending = []
        self._last_commit = self.clock.monotonic()

    def uncommitted(self) -> bool:
        """True when the position moved since the last commit."""
        return self.position != self.committed or bool(self._pending)

    def close(self) -> None:
        """Release the event loop of async handlers."""
        if self._loop is not None:
            self._loop.close()
            self._loop = None


def _describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _extra(worker: str, message: Message | None = None) -> dict[str, Any]:
    if message is None:
        return {"worker": worker, "command": None, "message_id": None}
    return {"worker": worker, "command": message.type, "message_id": message.id}

"""`App.run()`: worker threads, wake-ups, slow handlers, async work, stop and its errors."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from petrock_runtime import (
    App,
    CommandWorker,
    MemoryMessageLog,
    Message,
    Retry,
    RetryPolicy,
    RuntimeFailure,
    SQLiteMessageLog,
    WorkerContext,
    WorkerHalted,
)

from .cmds import Charge, Note, Refund

WAIT = 30.0  # generous bound for events that normally fire in milliseconds
# Threads serving run() are daemons: a run() that never ends fails its test (`is_alive()`) rather
# than hanging the interpreter at exit, after the tests, where no timeout catches it.


@contextmanager
def running(app: App) -> Iterator[threading.Thread]:
    errors: list[BaseException] = []

    def serve() -> None:
        try:
            app.run(install_signal_handlers=False, stop_timeout=10.0)
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        app.stop()  # raises what ended a worker; run() raises it too, in its thread
        thread.join(WAIT)
        assert not thread.is_alive()
        assert errors == []


def recorder(name: str, seen: list[int], done: threading.Event, count: int) -> CommandWorker[None]:
    def handle(ctx: WorkerContext[None], cmd: object, msg: Message) -> None:
        if not ctx.is_replay:
            seen.append(msg.id)
            if len(seen) >= count:
                done.set()

    worker = CommandWorker(name, state=None)
    worker.on_command(Charge, handle)
    return worker


def test_run_processes_live_and_commits_on_stop(tmp_path: Path) -> None:
    app = App(SQLiteMessageLog(tmp_path / "a.db"))
    seen: list[int] = []
    done = threading.Event()
    app.register_worker(recorder("w", seen, done, 20))
    with running(app):
        for i in range(20):
            app.execute(Charge(f"i{i}", 1))
        assert done.wait(WAIT)
    assert seen == list(range(1, 21))
    assert app.log.load_position("w") == 20


def test_a_slow_handler_does_not_block_other_workers() -> None:
    app = App(MemoryMessageLog())
    release = threading.Event()
    slow_started = threading.Event()

    def slow(ctx: WorkerContext[None], cmd: Charge, msg: Message) -> None:
        slow_started.set()
        release.wait(WAIT)

    slow_worker = CommandWorker("slow", state=None)
    slow_worker.on_command(Charge, slow)
    seen: list[int] = []
    done = threading.Event()
    app.register_worker(slow_worker)
    app.register_worker(recorder("fast", seen, done, 5))
    with running(app):
        for i in range(5):
            app.execute(Charge(f"i{i}", 1))
        assert slow_started.wait(WAIT)
        assert done.wait(WAIT)  # while "slow" is still stuck in its first message
        assert not release.is_set()
        release.set()
    assert seen == [1, 2, 3, 4, 5]


def test_async_handlers_and_async_periodic_work() -> None:
    app = App(MemoryMessageLog())
    handled = threading.Event()
    ticked = threading.Event()
    state: dict[str, object] = {}

    async def handle(ctx: WorkerContext[dict[str, object]], cmd: Note, msg: Message) -> None:
        await asyncio.sleep(0)
        ctx.state["note"] = cmd.text
        handled.set()

    async def tick(ctx: WorkerContext[dict[str, object]]) -> None:
        await asyncio.sleep(0)
        ctx.state["ticks"] = int(ctx.state.get("ticks", 0)) + 1  # type: ignore[call-overload]
        ticked.set()

    worker = CommandWorker("async", state=state)
    worker.on_command(Note, handle)
    worker.set_periodic_work(tick, every=60.0)
    app.register_worker(worker)
    with running(app):
        app.execute(Note("hi"))
        assert handled.wait(WAIT) and ticked.wait(WAIT)
    assert state["note"] == "hi" and state["ticks"] == 1


def test_appends_by_another_process_are_seen_by_polling(tmp_path: Path) -> None:
    app = App(SQLiteMessageLog(tmp_path / "p.db", poll_interval=0.01))
    other = SQLiteMessageLog(tmp_path / "p.db")
    seen: list[int] = []
    done = threading.Event()
    app.register_worker(recorder("w", seen, done, 3))
    with running(app):
        other.append_many([Charge("a", 1), Charge("b", 1), Charge("c", 1)])
        assert done.wait(WAIT)
    other.close()
    assert seen == [1, 2, 3]


def test_run_ends_and_raises_when_its_only_worker_halts() -> None:
    app = App(MemoryMessageLog(), seed=1)

    def fail(ctx: WorkerContext[None], cmd: Refund, msg: Message) -> None:
        raise RuntimeError("poison")

    policy = RetryPolicy(max_attempts=2, initial_delay=0.0, jitter=0.0, on_exhausted="halt")
    worker = CommandWorker("halting", state=None, retry=policy)
    worker.on_command(Refund, fail)
    app.register_worker(worker)
    app.execute(Refund("x"))
    with pytest.raises(WorkerHalted) as raised:
        app.run(install_signal_handlers=False)
    assert raised.value.message_id == 1 and "poison" in raised.value.reason
    assert worker.stats.halted
    assert app.log.load_position("halting") == 0  # not skipped: retried after a restart


def test_stop_from_another_thread_reraises_in_both() -> None:
    app = App(MemoryMessageLog(), seed=1)
    started = threading.Event()
    release = threading.Event()

    def fail(ctx: WorkerContext[None], cmd: Refund, msg: Message) -> None:
        started.set()
        release.wait(WAIT)
        raise RuntimeError("poison")

    policy = RetryPolicy(max_attempts=1, on_exhausted="halt")
    halting = CommandWorker("halting", state=None, retry=policy)
    halting.on_command(Refund, fail)
    app.register_worker(halting)
    app.register_worker(CommandWorker("idle", state=None))
    caught: list[BaseException] = []

    def serve() -> None:
        try:
            app.run(install_signal_handlers=False)
        except WorkerHalted as error:
            caught.append(error)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    app.execute(Refund("x"))
    assert started.wait(WAIT)
    release.set()  # the handler fails while "idle" keeps the app serving
    with pytest.raises(WorkerHalted):
        app.stop()
    thread.join(WAIT)
    assert not thread.is_alive()
    assert len(caught) == 1 and caught[0].message_id == 1


class GatedClaims(MemoryMessageLog):
    """A log whose claims fail until `allow` is set, like a worker owned by another process."""

    def __init__(self) -> None:
        super().__init__()
        self.allow = threading.Event()
        self.attempts = 0
        self.tried_thrice = threading.Event()
        self.released: list[str] = []

    def claim(self, worker: str) -> bool:
        self.attempts += 1
        if self.attempts >= 3:
            self.tried_thrice.set()
        return self.allow.is_set()

    def release(self, worker: str) -> None:
        self.released.append(worker)


def test_standby_worker_claims_later_and_catches_up() -> None:
    log = GatedClaims()
    log.append(Charge("before", 1))
    log.commit("w", 1)  # the other owner handled message 1
    app = App(log, claim_interval=0.01)
    seen: list[int] = []
    done = threading.Event()
    worker = recorder("w", seen, done, 1)
    app.register_worker(worker)
    with running(app):
        app.execute(Charge("while standby", 1))
        assert log.tried_thrice.wait(WAIT)
        assert worker.stats.standby and seen == []
        log.allow.set()
        assert done.wait(WAIT)
        assert not worker.stats.standby
    assert seen == [2]  # 1 was the other owner's: replayed, not handled live
    assert log.released == ["w"]


def test_stop_gives_up_on_a_stuck_handler_within_the_timeout() -> None:
    app = App(MemoryMessageLog())
    inside = threading.Event()
    release = threading.Event()

    def stuck(ctx: WorkerContext[None], cmd: Note, msg: Message) -> None:
        inside.set()
        release.wait(WAIT)

    worker = CommandWorker("stuck", state=None)
    worker.on_command(Note, stuck)
    app.register_worker(worker)
    caught: list[BaseException] = []

    def serve() -> None:
        try:
            app.run(install_signal_handlers=False)
        except RuntimeFailure as error:
            caught.append(error)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    app.execute(Note("x"))
    assert inside.wait(WAIT)
    with pytest.raises(RuntimeFailure, match=r"did not stop within 0\.2s"):
        app.stop(timeout=0.2)
    release.set()
    thread.join(WAIT)
    assert not thread.is_alive()
    assert [str(error) for error in caught] == ["worker 'stuck' did not stop within 0.2s"]


def test_stop_interrupts_a_retry_wait_without_skipping_the_message() -> None:
    log = MemoryMessageLog()
    app = App(log)
    asked = threading.Event()

    def later(ctx: WorkerContext[None], cmd: Note, msg: Message) -> None:
        if msg.id == 2:
            asked.set()
            raise Retry(after=3600.0, reason="come back in an hour")

    worker = CommandWorker("patient", state=None)
    worker.on_command(Note, later)
    app.register_worker(worker)
    with running(app):
        app.execute(Note("one"))
        app.execute(Note("two"))
        assert asked.wait(WAIT)
    assert log.load_position("patient") == 1  # message 2 is retried after a restart
    assert worker.stats.retried == 1 and app.dead_letters() == []


def test_same_process_appends_wake_workers_without_polling(tmp_path: Path) -> None:
    # Polling is set to an hour, and idle workers re-check every few seconds at most: a
    # delivery well under that can only come from the in-process wake-up.
    log = SQLiteMessageLog(tmp_path / "wake.db", poll_interval=3600.0)
    app = App(log)
    seen: list[int] = []
    arrived = threading.Event()

    def handle(ctx: WorkerContext[None], cmd: Note, msg: Message) -> None:
        seen.append(msg.id)
        arrived.set()

    worker = CommandWorker("woken", state=None)
    worker.on_command(Note, handle)
    app.register_worker(worker)
    with running(app):
        for append in (app.execute, log.append):  # through the executor, and straight to the log
            arrived.clear()
            started = time.monotonic()
            append(Note("now"))
            assert arrived.wait(WAIT)
            assert time.monotonic() - started < 2.5
    assert seen == [1, 2]
    log.close()


def test_stop_called_from_a_handler_does_not_deadlock() -> None:
    app = App(MemoryMessageLog())

    def handle(ctx: WorkerContext[None], cmd: Note, msg: Message) -> None:
        app.stop(timeout=5.0)

    worker = CommandWorker("stopper", state=None)
    worker.on_command(Note, handle)
    app.register_worker(worker)
    app.execute(Note("stop please"))
    app.run(install_signal_handlers=False)  # returns: the handler stopped the app
    assert app.log.load_position("stopper") == 1

"""Delivery semantics: retries, Retry(after), dead letters, halts, undecodable rows, order, batches."""

from __future__ import annotations

import itertools
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest
from petrock_runtime import (
    App,
    CommandWorker,
    DeadLetter,
    MemoryMessageLog,
    Message,
    Retry,
    RetryPolicy,
    SQLiteMessageLog,
    WorkerContext,
    WorkerHalted,
)
from petrock_runtime.testing import FakeClock, make_test_app

from .cmds import Charge, Note, Refund

POLICY = RetryPolicy(max_attempts=4, initial_delay=1.0, multiplier=2.0, max_delay=3.0, jitter=0.0)


def flaky_worker(fail_times: dict[int, int], seen: list[tuple[int, float]], clock: FakeClock,
                 retry: RetryPolicy = POLICY) -> CommandWorker[None]:  # fmt: skip
    """Fails message `id` its first `fail_times[id]` attempts; records (id, time) of successes."""
    attempts: dict[int, int] = {}

    def handle(ctx: WorkerContext[None], cmd: Charge, msg: Message) -> None:
        attempts[msg.id] = attempts.get(msg.id, 0) + 1
        if attempts[msg.id] <= fail_times.get(msg.id, 0):
            raise RuntimeError(f"attempt {attempts[msg.id]} of {msg.id}")
        seen.append((msg.id, clock.now))

    worker = CommandWorker("flaky", state=None, retry=retry)
    worker.on_command(Charge, handle)
    return worker


def test_transient_failures_retry_with_exponential_backoff_in_order() -> None:
    clock = FakeClock()
    app = make_test_app(clock=clock)
    seen: list[tuple[int, float]] = []
    app.register_worker(flaky_worker({2: 3}, seen, clock))
    for i in range(3):
        app.execute(Charge(f"i{i}", 1))
    app.run_until_idle()
    assert [i for i, _ in seen] == [1, 2, 3]  # 3 waited for 2: order kept
    assert clock.sleeps == [1.0, 2.0, 3.0]  # 1, 2, then capped at max_delay
    (info,) = app.stats()
    assert (info.stats.failed, info.stats.retried, info.stats.dead_lettered) == (3, 3, 0)
    assert info.stats.processed == 3 and info.stats.last_error == "RuntimeError: attempt 3 of 2"
    assert app.dead_letters() == []


def test_jitter_spreads_delays_within_bounds() -> None:
    policy = RetryPolicy(max_attempts=50, initial_delay=1.0, multiplier=1.0, jitter=0.5)
    clock = FakeClock()
    app = make_test_app(clock=clock, seed=7)
    app.register_worker(flaky_worker({1: 40}, [], clock, policy))
    app.execute(Charge("x", 1))
    app.run_until_idle()
    assert len(clock.sleeps) == 40
    assert all(0.5 <= delay <= 1.5 for delay in clock.sleeps)
    assert len(set(clock.sleeps)) > 30  # jittered, not constant


def test_poison_message_is_dead_lettered_after_the_budget_and_the_worker_moves_on() -> None:
    clock = FakeClock()
    app = make_test_app(clock=clock)
    seen: list[tuple[int, float]] = []
    app.register_worker(flaky_worker({2: 99}, seen, clock))
    for i in range(3):
        app.execute(Charge(f"i{i}", 1))
    app.run_until_idle()
    assert [i for i, _ in seen] == [1, 3]
    (dead,) = app.dead_letters()
    assert (dead.worker, dead.message_id, dead.type, dead.attempts) == (
        "flaky", 2, "billing/charge", 4,
    )  # fmt: skip
    assert dead.error == "RuntimeError: attempt 4 of 2"
    assert app.log.load_position("flaky") == 3
    assert app.stats()[0].stats.dead_lettered == 1


def test_retry_after_is_honoured_exactly() -> None:
    clock = FakeClock()
    app = make_test_app(clock=clock)
    calls: list[float] = []

    def handle(ctx: WorkerContext[None], cmd: Note, msg: Message) -> None:
        calls.append(clock.now)
        if len(calls) < 3:
            raise Retry(after=[2.5, 7.0][len(calls) - 1], reason="not yet")

    worker = CommandWorker("retrying", state=None, retry=RetryPolicy(jitter=0.9))
    worker.on_command(Note, handle)
    app.register_worker(worker)
    app.execute(Note("x"))
    app.run_until_idle()
    assert clock.sleeps == [2.5, 7.0]
    assert [round(b - a, 6) for a, b in itertools.pairwise(calls)] == [2.5, 7.0]
    assert app.dead_letters() == []
    assert worker.stats.last_error == "Retry: not yet"


def test_halt_policy_stops_the_worker_at_the_message() -> None:
    clock = FakeClock()
    app = make_test_app(clock=clock)
    seen: list[tuple[int, float]] = []
    halting = RetryPolicy(max_attempts=2, initial_delay=0.5, jitter=0.0, on_exhausted="halt")
    app.register_worker(flaky_worker({2: 99}, seen, clock, halting))
    for i in range(3):
        app.execute(Charge(f"i{i}", 1))
    with pytest.raises(WorkerHalted) as raised:
        app.run_until_idle()
    assert raised.value.message_id == 2
    assert [i for i, _ in seen] == [1]
    assert app.log.load_position("flaky") == 1  # message 2 is not skipped
    assert app.dead_letters() == []
    assert app.stats()[0].stats.halted


def insert_raw(path: Path, rows: Sequence[tuple[str, bytes]]) -> None:
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO messages (ts, type, data) VALUES (0, ?, ?)", rows)


def test_undecodable_and_unknown_rows_never_stall_a_worker(tmp_path: Path) -> None:
    path = tmp_path / "raw.db"
    log = SQLiteMessageLog(path)
    log.append(Charge("good-1", 1))
    insert_raw(path, [("billing/charge", b"{not json"), ("billing/charge", b'{"invoice_id":1}')])
    insert_raw(path, [("billing/unheard-of", b"{}")])
    log.append(Charge("good-2", 1))
    app = App(log, clock=FakeClock())
    seen: list[tuple[int, float]] = []
    app.register_worker(flaky_worker({}, seen, FakeClock()))
    app.run_until_idle()
    assert [i for i, _ in seen] == [1, 5]
    dead = app.dead_letters()
    assert [(d.message_id, d.attempts) for d in dead] == [(2, 1), (3, 1)]
    assert dead[0].error.startswith("cannot decode: billing/charge: not valid JSON")
    assert "amount_cents" in dead[1].error
    assert log.load_position("flaky") == 5
    log.close()


def test_json_with_whitespace_written_by_hand_is_still_delivered(tmp_path: Path) -> None:
    path = tmp_path / "spaces.db"
    log = SQLiteMessageLog(path)
    insert_raw(path, [("billing/charge", b' { "invoice_id": "x", "amount_cents": 2 }\n')])
    insert_raw(path, [("billing/charge", b'{"invoice_id":"y","amount_cents":3} trailing')])
    app = App(log, clock=FakeClock())
    got: list[Charge] = []
    worker = CommandWorker("spaces", state=None)
    worker.on_command(Charge, lambda ctx, cmd, msg: got.append(cmd))
    app.register_worker(worker)
    app.run_until_idle()
    assert got == [Charge("x", 2)]
    assert [d.message_id for d in app.dead_letters()] == [2]
    log.close()


def test_name_registration_without_a_class_dead_letters_instead_of_stalling() -> None:
    app = make_test_app()
    app.log.append(Note("x"))
    got: list[object] = []
    worker = CommandWorker("by-name", state=None)
    worker.on_command("misc/note", lambda ctx, cmd, msg: got.append(cmd))
    worker.on_command("billing/charge", lambda ctx, cmd, msg: got.append(cmd))
    app.register_worker(worker)
    app.register_commands(Charge)
    app.execute(Charge("c", 1))
    app.run_until_idle()
    assert got == [Charge("c", 1)]
    (dead,) = app.dead_letters()
    assert dead.message_id == 1 and "no command class is registered" in dead.error


def test_on_unknown_gets_every_unmatched_message() -> None:
    app = make_test_app()
    app.register_commands(Note)
    app.log.append(Note("known type"))
    app.log.append(Charge("handled", 1))
    app.log.append(Refund("unregistered type"))
    unknown: list[tuple[int, object]] = []
    worker = CommandWorker("catch-all", state=None)
    worker.on_command(Charge, lambda ctx, cmd, msg: None)
    worker.on_unknown(lambda ctx, msg: unknown.append((msg.id, msg.payload)))
    app.register_worker(worker)
    app.run_until_idle()
    assert unknown == [(1, Note("known type")), (3, None)]
    assert app.dead_letters() == []


class CountingLog(MemoryMessageLog):
    def __init__(self) -> None:
        super().__init__()
        self.commits: list[tuple[str, int, int]] = []

    def commit(self, worker: str, position: int, dead_letters: Sequence[DeadLetter] = ()) -> None:
        self.commits.append((worker, position, len(dead_letters)))
        super().commit(worker, position, dead_letters)


def test_positions_are_committed_once_per_batch_with_dead_letters() -> None:
    log = CountingLog()
    log.append_many([Charge(f"i{i}", 1) for i in range(25)])
    clock = FakeClock()
    app = App(log, clock=clock)
    policy = RetryPolicy(max_attempts=1)
    worker = flaky_worker({12: 1, 13: 1}, [], clock, policy)
    worker.batch_size = 10
    app.register_worker(worker)
    app.run_until_idle()
    assert log.commits == [("flaky", 10, 0), ("flaky", 20, 2), ("flaky", 25, 0)]


def test_periodic_work_runs_once_per_run_until_idle_and_never_in_replay() -> None:
    app = make_test_app()
    ticks: list[bool] = []
    worker = CommandWorker("ticker", state=None)
    worker.set_periodic_work(lambda ctx: ticks.append(ctx.is_replay), every=5.0)
    app.register_worker(worker)
    app.run_until_idle()
    app.run_until_idle()
    assert ticks == [False, False]
    assert worker.info().periodic_every == 5.0 and worker.stats.periodic_runs == 2


def test_periodic_work_errors_are_counted_not_raised() -> None:
    app = make_test_app()

    def boom(ctx: WorkerContext[None]) -> None:
        raise ValueError("periodic boom")

    worker = CommandWorker("ticker", state=None)
    worker.set_periodic_work(boom, every=1.0)
    app.register_worker(worker)
    app.run_until_idle()
    assert worker.stats.periodic_failed == 1
    assert worker.stats.last_error == "ValueError: periodic boom"


def test_log_records_carry_worker_command_and_message_id(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    app = make_test_app(clock=clock)

    def handle(ctx: WorkerContext[None], cmd: Note, msg: Message) -> None:
        ctx.logger.info("handling %s", cmd.text)

    worker = CommandWorker("logger", state=None)
    worker.on_command(Note, handle)
    app.register_worker(worker)
    app.register_worker(flaky_worker({2: 99}, [], clock))
    app.execute(Note("hello"))
    app.execute(Charge("x", 1))
    with caplog.at_level(logging.INFO, logger="petrock_runtime"):
        app.run_until_idle()
    mine = [r for r in caplog.records if r.getMessage() == "handling hello"]
    assert [(r.worker, r.command, r.message_id) for r in mine] == [  # type: ignore[attr-defined]
        ("logger", "misc/note", 1)
    ]
    dead = [r for r in caplog.records if "dead-lettered" in r.getMessage()]
    assert [(r.worker, r.command, r.message_id) for r in dead] == [  # type: ignore[attr-defined]
        ("flaky", "billing/charge", 2)
    ]


def test_stats_report_lag() -> None:
    app = make_test_app()
    seen: list[tuple[int, float]] = []
    app.register_worker(flaky_worker({}, seen, FakeClock()))
    app.execute(Charge("a", 1))
    app.run_until_idle()
    app.execute(Charge("b", 1))
    app.execute(Charge("c", 1))
    (info,) = app.stats()
    assert (info.stats.position, info.stats.lag) == (1, 2)


def test_async_handlers_and_periodic_work_in_run_until_idle() -> None:
    clock = FakeClock()
    app = make_test_app(clock=clock)
    calls: list[str] = []

    async def handle(ctx: WorkerContext[None], cmd: Note, msg: Message) -> None:
        calls.append(f"handle {cmd.text}")
        if len(calls) == 1:
            raise Retry(after=4.0)

    async def tick(ctx: WorkerContext[None]) -> None:
        calls.append("tick")

    worker = CommandWorker("async", state=None)
    worker.on_command(Note, handle)
    worker.set_periodic_work(tick, every=1.0)
    app.register_worker(worker)
    app.execute(Note("a"))
    app.run_until_idle()
    assert calls == ["handle a", "handle a", "tick"]
    assert clock.sleeps == [4.0]
    assert worker.stats.processed == 1 and worker.stats.retried == 1

from __future__ import annotations

import threading

import pytest
from petrock_runtime import (
    App,
    CommandWorker,
    ExecutionError,
    MemoryMessageLog,
    Message,
    ReplayError,
    ValidationError,
    WorkerContext,
)
from petrock_runtime.testing import make_test_app, replay_state

from .cmds import BillingState, Charge, Note, Refund, build_billing


def test_execute_appends_and_workers_handle(tmp_path: object) -> None:
    app = make_test_app()
    app.register_worker(build_billing())
    messages = [app.execute(Charge(f"inv-{i}", 10)) for i in range(3)]
    assert [m.id for m in messages] == [1, 2, 3]
    assert messages[0].payload == Charge("inv-0", 10) and messages[0].type == "billing/charge"
    app.run_until_idle()
    state = app.workers()[0].state
    assert state.charged == {"inv-0": 1, "inv-1": 2, "inv-2": 3}
    assert state.live == [1, 2, 3]
    (info,) = app.stats()
    assert (info.name, info.commands) == ("Billing Worker", ("billing/charge",))
    assert (info.stats.processed, info.stats.position, info.stats.lag) == (3, 3, 0)
    assert app.log.load_position("Billing Worker") == 3


def test_invalid_command_is_never_appended() -> None:
    app = make_test_app()
    with pytest.raises(ValidationError):
        app.execute(Charge("x", -1))
    assert app.log.last_id() == 0


def test_executor_checks_and_applies_feature_state_serialised() -> None:
    app = make_test_app()
    charged: set[str] = set()

    def check(cmd: Charge) -> None:
        if cmd.invoice_id in charged:
            raise ValidationError("invoice_id", "already charged")

    def apply(cmd: Charge, msg: Message) -> None:
        charged.add(cmd.invoice_id)

    app.executor.on_validate(Charge, check)
    app.executor.on_apply(Charge, apply)
    app.execute(Charge("a", 1))
    with pytest.raises(ValidationError, match="already charged"):
        app.execute(Charge("a", 1))
    assert app.log.last_id() == 1


def test_failing_apply_is_an_error_value_with_the_message_id() -> None:
    app = make_test_app()

    def apply(cmd: Refund, msg: Message) -> None:
        raise RuntimeError("boom")

    app.executor.on_apply(Refund, apply)
    with pytest.raises(ExecutionError) as raised:
        app.execute(Refund("a"))
    assert raised.value.message_id == 1
    failures = App(app.log, clock=app.clock)
    failures.executor.on_apply(Refund, apply)
    failures.start()  # replays, never raises, reports
    assert [type(f) for f in failures.replay_failures] == [ExecutionError]


def test_replay_state_and_replay_error() -> None:
    app = make_test_app()
    app.register_worker(build_billing())
    app.execute(Charge("a", 1))
    app.execute(Note("unrelated"))
    app.execute(Charge("b", 2))
    replayed = replay_state(app, build_billing)
    assert replayed.charged == {"a": 1, "b": 3}
    assert replayed.live == [] and replayed.replayed == [1, 3]

    def build_bad() -> CommandWorker[BillingState]:
        worker = CommandWorker("Bad", state=BillingState())

        def handler(ctx: WorkerContext[BillingState], cmd: Charge, msg: Message) -> None:
            ctx.execute(Refund(cmd.invoice_id))

        worker.on_command(Charge, handler)
        return worker

    with pytest.raises(ReplayError):
        replay_state(app, build_bad)


def test_handlers_can_execute_and_run_until_idle_follows() -> None:
    app = make_test_app()
    refunds: list[str] = []

    def on_charge(ctx: WorkerContext[None], cmd: Charge, msg: Message) -> None:
        if not ctx.is_replay:
            ctx.execute(Refund(cmd.invoice_id))

    def on_refund(ctx: WorkerContext[None], cmd: Refund, msg: Message) -> None:
        refunds.append(cmd.invoice_id)

    first = CommandWorker("first", state=None)
    first.on_command(Charge, on_charge)
    second = CommandWorker("second", state=None)
    second.on_command(Refund, on_refund)
    app.register_worker(first)
    app.register_worker(second)
    app.execute(Charge("x", 1))
    app.run_until_idle()
    assert refunds == ["x"]


def test_worker_names_are_unique_and_handlers_single() -> None:
    app = make_test_app()
    app.register_worker(build_billing())
    with pytest.raises(ValueError, match="already registered"):
        app.register_worker(build_billing())
    worker = build_billing()
    with pytest.raises(ValueError, match="already handles"):
        worker.on_command("billing/charge", lambda ctx, cmd, msg: None)


def test_app_from_log_object_and_url(tmp_path: object) -> None:
    log = MemoryMessageLog()
    assert App(log).log is log
    with pytest.raises(Exception, match="unsupported log URL"):
        App("mysql://x")


def test_replay_state_passes_unmatched_messages_to_on_unknown() -> None:
    app = make_test_app()
    app.register_commands(Note)
    app.execute(Note("a"))
    app.execute(Charge("c", 1))
    app.log.append(Refund("never registered"))

    def build() -> CommandWorker[list[tuple[int, object]]]:
        worker: CommandWorker[list[tuple[int, object]]] = CommandWorker("catch-all", state=[])
        worker.on_command(Charge, lambda ctx, cmd, msg: ctx.state.append((msg.id, "charge")))
        worker.on_unknown(lambda ctx, msg: ctx.state.append((msg.id, msg.payload)))
        return worker

    live = build()
    app.register_worker(live)
    app.run_until_idle()
    assert replay_state(app, build) == live.state == [(1, Note("a")), (2, "charge"), (3, None)]


def test_concurrent_executes_cannot_both_pass_validation_on_stale_state() -> None:
    app = make_test_app()
    charged: set[str] = set()

    def check(cmd: Charge) -> None:
        if cmd.invoice_id in charged:
            raise ValidationError("invoice_id", "already charged")

    app.executor.on_validate(Charge, check)
    app.executor.on_apply(Charge, lambda cmd, msg: charged.add(cmd.invoice_id))
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def attempt() -> None:
        start.wait()
        try:
            app.execute(Charge("same", 1))
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("rejected")

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["rejected"] * 7
    assert app.log.last_id() == 1


def test_messages_stored_in_memory_are_never_changed_by_delivery() -> None:
    app = make_test_app()
    app.register_worker(build_billing())
    app.execute(Charge("a", 1))
    app.log.append(Charge("b", 2))
    app.run_until_idle()
    assert [m.payload for m in app.log.read_after(0)] == [None, None]

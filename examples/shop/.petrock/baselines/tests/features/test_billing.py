"""Tests of the billing feature, on the runtime's in-memory test kit.

This file is yours: petrock creates it once and afterwards only adds tests for new commands and
workers. They pass as generated; extend them as the handlers learn to do things.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from petrock_runtime import App, Message, WorkerContext
from petrock_runtime.testing import make_test_app, replay_state

from shop.features import billing
from shop.features.billing import worker
from shop.features.billing.commands import Charge, Refund

# Side effects are faked, never fired: handlers call out through ports on their state (state.py),
# and a test swaps in recorders before it executes commands, then checks what was asked:
#     mailer = Recorder()  # from petrock_runtime.testing, like fake_ports
#     fake_ports(app, mailer=mailer)
#     app.execute(...); app.run_until_idle()
#     assert mailer.names() == ["send"]
# tests/conftest.py fails any test that connects beyond this machine.

# A recorded handler call: (handler name, message id, is_replay).
Call = tuple[str, int, bool]


def spy_on(monkeypatch: pytest.MonkeyPatch, *handlers: str) -> list[Call]:
    """Wrap the named handlers where the worker module uses them; return the calls they get."""
    calls: list[Call] = []
    for name in handlers:
        monkeypatch.setattr(worker, name, _recording(name, getattr(worker, name), calls))
    return calls


def _recording(name: str, handler: Callable[..., Any], calls: list[Call]) -> Callable[..., Any]:
    # Returns what the handler returns, so an `async def` handler is still awaited.
    def spy(ctx: WorkerContext[Any], cmd: Any, msg: Message) -> Any:
        calls.append((name, msg.id, ctx.is_replay))
        return handler(ctx, cmd, msg)

    return spy


def live_state(app: App, worker_name: str) -> Any:
    """The state of the running worker called `worker_name`."""
    return next(w for w in app.workers() if w.name == worker_name).state


def sample_charge() -> Charge:
    """A valid `billing/charge` command."""
    return Charge(invoice_id="example", amount_cents=1, note="example")


def test_charge_round_trips_through_json() -> None:
    command = sample_charge()
    command.validate()
    assert Charge.command_name() == "billing/charge"
    assert Charge.from_json(command.to_json()) == command


def test_charge_reaches_its_handlers_and_replays(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = spy_on(monkeypatch, "handle_charge", "notifier_handle_charge")
    app = make_test_app()
    billing.register(app)
    message = app.execute(sample_charge())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert sorted(calls) == [
        ("handle_charge", message.id, False),
        ("notifier_handle_charge", message.id, False),
    ]
    before = app.log.last_id()
    assert replay_state(app, worker.build_worker) == live_state(app, "billing")
    assert ("handle_charge", message.id, True) in calls
    assert replay_state(app, worker.build_notifier_worker) == live_state(app, "billing/notifier")
    assert ("notifier_handle_charge", message.id, True) in calls
    assert app.log.last_id() == before, "replay must not append commands"


def sample_refund() -> Refund:
    """A valid `billing/refund` command."""
    return Refund(invoice_id="example", reason="example")


def test_refund_round_trips_through_json() -> None:
    command = sample_refund()
    command.validate()
    assert Refund.command_name() == "billing/refund"
    assert Refund.from_json(command.to_json()) == command


def test_refund_reaches_its_handlers_and_replays(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = spy_on(monkeypatch, "handle_refund", "notifier_handle_refund", "auditor_handle_refund")
    app = make_test_app()
    billing.register(app)
    message = app.execute(sample_refund())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert sorted(calls) == [
        ("auditor_handle_refund", message.id, False),
        ("handle_refund", message.id, False),
        ("notifier_handle_refund", message.id, False),
    ]
    before = app.log.last_id()
    assert replay_state(app, worker.build_worker) == live_state(app, "billing")
    assert ("handle_refund", message.id, True) in calls
    assert replay_state(app, worker.build_notifier_worker) == live_state(app, "billing/notifier")
    assert ("notifier_handle_refund", message.id, True) in calls
    assert replay_state(app, worker.build_auditor_worker) == live_state(app, "billing/auditor")
    assert ("auditor_handle_refund", message.id, True) in calls
    assert app.log.last_id() == before, "replay must not append commands"


def test_billing_worker_is_registered_and_replays() -> None:
    app = make_test_app()
    billing.register(app)
    info = next(i for i in app.stats() if i.name == "billing")
    assert info.periodic_every == 5.0
    app.execute(sample_charge())
    app.execute(sample_refund())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert replay_state(app, worker.build_worker) == live_state(app, "billing")


def test_notifier_worker_is_registered_and_replays() -> None:
    app = make_test_app()
    billing.register(app)
    info = next(i for i in app.stats() if i.name == "billing/notifier")
    assert info.periodic_every == 5.0
    app.execute(sample_charge())
    app.execute(sample_refund())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert replay_state(app, worker.build_notifier_worker) == live_state(app, "billing/notifier")


def test_auditor_worker_is_registered_and_replays() -> None:
    app = make_test_app()
    billing.register(app)
    info = next(i for i in app.stats() if i.name == "billing/auditor")
    assert info.periodic_every is None
    app.execute(sample_refund())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert replay_state(app, worker.build_auditor_worker) == live_state(app, "billing/auditor")

"""Tests of the shipping feature, on the runtime's in-memory test kit.

This file is yours: petrock creates it once and afterwards only adds tests for new commands and
workers. They pass as generated; extend them as the handlers learn to do things.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from petrock_runtime import App, Message, WorkerContext
from petrock_runtime.testing import make_test_app, replay_state

from shop.features import shipping
from shop.features.shipping import worker
from shop.features.shipping.commands import Cancel, Ship

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


def sample_ship() -> Ship:
    """A valid `shipping/ship` command."""
    return Ship(
        order_id=UUID("12345678-1234-5678-1234-567812345678"),
        ship_on=date(2024, 1, 1),
        express=True,
        weight_kg=1.5,
    )


def test_ship_round_trips_through_json() -> None:
    command = sample_ship()
    command.validate()
    assert Ship.command_name() == "shipping/ship"
    assert Ship.from_json(command.to_json()) == command


def test_ship_reaches_its_handlers_and_replays(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = spy_on(monkeypatch, "handle_ship")
    app = make_test_app()
    shipping.register(app)
    message = app.execute(sample_ship())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert sorted(calls) == [("handle_ship", message.id, False)]
    before = app.log.last_id()
    assert replay_state(app, worker.build_worker) == live_state(app, "shipping")
    assert ("handle_ship", message.id, True) in calls
    assert app.log.last_id() == before, "replay must not append commands"


def sample_cancel() -> Cancel:
    """A valid `shipping/cancel` command."""
    return Cancel(order_id=UUID("12345678-1234-5678-1234-567812345678"), reason="example")


def test_cancel_round_trips_through_json() -> None:
    command = sample_cancel()
    command.validate()
    assert Cancel.command_name() == "shipping/cancel"
    assert Cancel.from_json(command.to_json()) == command


def test_cancel_reaches_its_handlers_and_replays(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = spy_on(monkeypatch, "handle_cancel")
    app = make_test_app()
    shipping.register(app)
    message = app.execute(sample_cancel())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert sorted(calls) == [("handle_cancel", message.id, False)]
    before = app.log.last_id()
    assert replay_state(app, worker.build_worker) == live_state(app, "shipping")
    assert ("handle_cancel", message.id, True) in calls
    assert app.log.last_id() == before, "replay must not append commands"


def test_shipping_worker_is_registered_and_replays() -> None:
    app = make_test_app()
    shipping.register(app)
    info = next(i for i in app.stats() if i.name == "shipping")
    assert info.periodic_every == 5.0
    app.execute(sample_ship())
    app.execute(sample_cancel())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert replay_state(app, worker.build_worker) == live_state(app, "shipping")

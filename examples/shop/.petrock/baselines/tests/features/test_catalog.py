"""Tests of the catalog feature, on the runtime's in-memory test kit.

This file is yours: petrock creates it once and afterwards only adds tests for new commands and
workers. They pass as generated; extend them as the handlers learn to do things.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from petrock_runtime import App, Message, WorkerContext
from petrock_runtime.testing import make_test_app, replay_state

from shop.features import catalog
from shop.features.catalog import worker
from shop.features.catalog.commands import AddItem, Discontinue

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


def sample_add_item() -> AddItem:
    """A valid `catalog/add-item` command."""
    return AddItem(sku="example", title="example", price=Decimal("1.50"), tags=["example"])


def test_add_item_round_trips_through_json() -> None:
    command = sample_add_item()
    command.validate()
    assert AddItem.command_name() == "catalog/add-item"
    assert AddItem.from_json(command.to_json()) == command


def test_add_item_reaches_its_handlers_and_replays(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = spy_on(monkeypatch, "handle_add_item")
    app = make_test_app()
    catalog.register(app)
    message = app.execute(sample_add_item())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert sorted(calls) == [("handle_add_item", message.id, False)]
    before = app.log.last_id()
    assert replay_state(app, worker.build_worker) == live_state(app, "catalog")
    assert ("handle_add_item", message.id, True) in calls
    assert app.log.last_id() == before, "replay must not append commands"


def sample_discontinue() -> Discontinue:
    """A valid `catalog/discontinue` command."""
    return Discontinue(sku="example", at=datetime(2024, 1, 1, tzinfo=UTC))


def test_discontinue_round_trips_through_json() -> None:
    command = sample_discontinue()
    command.validate()
    assert Discontinue.command_name() == "catalog/discontinue"
    assert Discontinue.from_json(command.to_json()) == command


def test_discontinue_reaches_its_handlers_and_replays(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = spy_on(monkeypatch, "handle_discontinue")
    app = make_test_app()
    catalog.register(app)
    message = app.execute(sample_discontinue())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert sorted(calls) == [("handle_discontinue", message.id, False)]
    before = app.log.last_id()
    assert replay_state(app, worker.build_worker) == live_state(app, "catalog")
    assert ("handle_discontinue", message.id, True) in calls
    assert app.log.last_id() == before, "replay must not append commands"


def test_catalog_worker_is_registered_and_replays() -> None:
    app = make_test_app()
    catalog.register(app)
    info = next(i for i in app.stats() if i.name == "catalog")
    assert info.periodic_every is None
    app.execute(sample_add_item())
    app.execute(sample_discontinue())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert replay_state(app, worker.build_worker) == live_state(app, "catalog")

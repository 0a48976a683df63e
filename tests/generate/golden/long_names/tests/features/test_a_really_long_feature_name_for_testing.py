"""Tests of the a_really_long_feature_name_for_testing feature, on the runtime's in-memory test kit.

This file is yours: petrock creates it once and afterwards only adds tests for new commands and
workers. They pass as generated; extend them as the handlers learn to do things.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from petrock_runtime import App, Message, WorkerContext
from petrock_runtime.testing import make_test_app, replay_state

from shop.features import a_really_long_feature_name_for_testing
from shop.features.a_really_long_feature_name_for_testing import worker
from shop.features.a_really_long_feature_name_for_testing.commands import (
    AnExtremelyLongCommandNameToWrap,
)

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


def sample_an_extremely_long_command_name_to_wrap() -> AnExtremelyLongCommandNameToWrap:
    """A valid `a-really-long-feature-name-for-testing/an-extremely-long-command-name-to-wrap` command."""
    return AnExtremelyLongCommandNameToWrap(a_long_field_name_number_one=[Decimal("1.50")])


def test_an_extremely_long_command_name_to_wrap_round_trips_through_json() -> None:
    command = sample_an_extremely_long_command_name_to_wrap()
    command.validate()
    assert (
        AnExtremelyLongCommandNameToWrap.command_name()
        == "a-really-long-feature-name-for-testing/an-extremely-long-command-name-to-wrap"
    )
    assert AnExtremelyLongCommandNameToWrap.from_json(command.to_json()) == command


def test_an_extremely_long_command_name_to_wrap_reaches_its_handlers_and_replays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = spy_on(
        monkeypatch,
        "handle_an_extremely_long_command_name_to_wrap",
        "another_quite_long_worker_name_here_handle_an_extremely_long_command_name_to_wrap",
    )
    app = make_test_app()
    a_really_long_feature_name_for_testing.register(app)
    message = app.execute(sample_an_extremely_long_command_name_to_wrap())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert sorted(calls) == [
        (
            "another_quite_long_worker_name_here_handle_an_extremely_long_command_name_to_wrap",
            message.id,
            False,
        ),
        ("handle_an_extremely_long_command_name_to_wrap", message.id, False),
    ]
    before = app.log.last_id()
    assert replay_state(app, worker.build_worker) == live_state(
        app, "a-really-long-feature-name-for-testing"
    )
    assert ("handle_an_extremely_long_command_name_to_wrap", message.id, True) in calls
    assert replay_state(app, worker.build_another_quite_long_worker_name_here_worker) == live_state(
        app, "a-really-long-feature-name-for-testing/another-quite-long-worker-name-here"
    )
    assert (
        "another_quite_long_worker_name_here_handle_an_extremely_long_command_name_to_wrap",
        message.id,
        True,
    ) in calls
    assert app.log.last_id() == before, "replay must not append commands"


def test_a_really_long_feature_name_for_testing_worker_is_registered_and_replays() -> None:
    app = make_test_app()
    a_really_long_feature_name_for_testing.register(app)
    info = next(i for i in app.stats() if i.name == "a-really-long-feature-name-for-testing")
    assert info.periodic_every == 5.0
    app.execute(sample_an_extremely_long_command_name_to_wrap())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert replay_state(app, worker.build_worker) == live_state(
        app, "a-really-long-feature-name-for-testing"
    )


def test_another_quite_long_worker_name_here_worker_is_registered_and_replays() -> None:
    app = make_test_app()
    a_really_long_feature_name_for_testing.register(app)
    info = next(
        i
        for i in app.stats()
        if i.name == "a-really-long-feature-name-for-testing/another-quite-long-worker-name-here"
    )
    assert info.periodic_every == 5.0
    app.execute(sample_an_extremely_long_command_name_to_wrap())
    app.run_until_idle()
    assert app.dead_letters() == []
    assert replay_state(app, worker.build_another_quite_long_worker_name_here_worker) == live_state(
        app, "a-really-long-feature-name-for-testing/another-quite-long-worker-name-here"
    )

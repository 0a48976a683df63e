"""Handlers of the a_really_long_feature_name_for_testing feature's commands.

This file is yours: petrock creates it once and afterwards only adds stubs for new commands and
workers. A handler runs live and again during replay (on every start, `ctx.is_replay` is True):
change state first, then return during replay, then do side effects.
"""

from __future__ import annotations

from petrock_runtime import Message, WorkerContext

from shop.features.a_really_long_feature_name_for_testing.commands import (
    AnExtremelyLongCommandNameToWrap,
)
from shop.features.a_really_long_feature_name_for_testing.state import (
    AnotherQuiteLongWorkerNameHereState,
    AReallyLongFeatureNameForTestingState,
)


def handle_an_extremely_long_command_name_to_wrap(
    ctx: WorkerContext[AReallyLongFeatureNameForTestingState],
    cmd: AnExtremelyLongCommandNameToWrap,
    msg: Message,
) -> None:
    """Handle `a-really-long-feature-name-for-testing/an-extremely-long-command-name-to-wrap` in the a-really-long-feature-name-for-testing worker."""
    # State changes go here; they also run during replay, e.g. ctx.state.seen[msg.id] = cmd.
    if ctx.is_replay:
        return
    # Side effects go here, live only: call out through a port on ctx.state (see state.py), so
    # tests can fake it, or ctx.execute(...) a follow-up command.
    # msg.id is an idempotency key: delivery is at least once.


def another_quite_long_worker_name_here_handle_an_extremely_long_command_name_to_wrap(
    ctx: WorkerContext[AnotherQuiteLongWorkerNameHereState],
    cmd: AnExtremelyLongCommandNameToWrap,
    msg: Message,
) -> None:
    """Handle `a-really-long-feature-name-for-testing/an-extremely-long-command-name-to-wrap` in the a-really-long-feature-name-for-testing/another-quite-long-worker-name-here worker."""
    # State changes go here; they also run during replay, e.g. ctx.state.seen[msg.id] = cmd.
    if ctx.is_replay:
        return
    # Side effects go here, live only: call out through a port on ctx.state (see state.py), so
    # tests can fake it, or ctx.execute(...) a follow-up command.
    # msg.id is an idempotency key: delivery is at least once.

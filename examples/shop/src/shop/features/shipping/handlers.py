"""Handlers of the shipping feature's commands.

This file is yours: petrock creates it once and afterwards only adds stubs for new commands and
workers. A handler runs live and again during replay (on every start, `ctx.is_replay` is True):
change state first, then return during replay, then do side effects.
"""

from __future__ import annotations

from petrock_runtime import Message, WorkerContext

from shop.features.shipping.commands import Cancel, Ship
from shop.features.shipping.state import ShippingState


def handle_ship(ctx: WorkerContext[ShippingState], cmd: Ship, msg: Message) -> None:
    """Handle `shipping/ship` in the shipping worker."""
    # State changes go here; they also run during replay, e.g. ctx.state.seen[msg.id] = cmd.
    if ctx.is_replay:
        return
    # Side effects go here, live only: call out through a port on ctx.state (see state.py), so
    # tests can fake it, or ctx.execute(...) a follow-up command.
    # msg.id is an idempotency key: delivery is at least once.


def handle_cancel(ctx: WorkerContext[ShippingState], cmd: Cancel, msg: Message) -> None:
    """Handle `shipping/cancel` in the shipping worker."""
    # State changes go here; they also run during replay, e.g. ctx.state.seen[msg.id] = cmd.
    if ctx.is_replay:
        return
    # Side effects go here, live only: call out through a port on ctx.state (see state.py), so
    # tests can fake it, or ctx.execute(...) a follow-up command.
    # msg.id is an idempotency key: delivery is at least once.

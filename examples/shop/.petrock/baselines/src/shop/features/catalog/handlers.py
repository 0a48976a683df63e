"""Handlers of the catalog feature's commands.

This file is yours: petrock creates it once and afterwards only adds stubs for new commands and
workers. A handler runs live and again during replay (on every start, `ctx.is_replay` is True):
change state first, then return during replay, then do side effects.
"""

from __future__ import annotations

from petrock_runtime import Message, WorkerContext

from shop.features.catalog.commands import AddItem, Discontinue
from shop.features.catalog.state import CatalogState


def handle_add_item(ctx: WorkerContext[CatalogState], cmd: AddItem, msg: Message) -> None:
    """Handle `catalog/add-item` in the catalog worker."""
    # State changes go here; they also run during replay, e.g. ctx.state.seen[msg.id] = cmd.
    if ctx.is_replay:
        return
    # Side effects go here, live only: call out through a port on ctx.state (see state.py), so
    # tests can fake it, or ctx.execute(...) a follow-up command.
    # msg.id is an idempotency key: delivery is at least once.


def handle_discontinue(ctx: WorkerContext[CatalogState], cmd: Discontinue, msg: Message) -> None:
    """Handle `catalog/discontinue` in the catalog worker."""
    # State changes go here; they also run during replay, e.g. ctx.state.seen[msg.id] = cmd.
    if ctx.is_replay:
        return
    # Side effects go here, live only: call out through a port on ctx.state (see state.py), so
    # tests can fake it, or ctx.execute(...) a follow-up command.
    # msg.id is an idempotency key: delivery is at least once.

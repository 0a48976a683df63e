"""Handlers of the billing feature's commands.

This file is yours: petrock creates it once and afterwards only adds stubs for new commands and
workers. A handler runs live and again during replay (on every start, `ctx.is_replay` is True):
change state first, then return during replay, then do side effects.
"""

from __future__ import annotations

from petrock_runtime import Message, WorkerContext

from shop.features.billing.commands import Charge, Refund
from shop.features.billing.state import AuditorState, BillingState, NotifierState


def handle_charge(ctx: WorkerContext[BillingState], cmd: Charge, msg: Message) -> None:
    """Handle `billing/charge` in the billing worker."""
    # State changes go here; they also run during replay, e.g. ctx.state.seen[msg.id] = cmd.
    if ctx.is_replay:
        return
    # Side effects go here, live only: call out through a port on ctx.state (see state.py), so
    # tests can fake it, or ctx.execute(...) a follow-up command.
    # msg.id is an idempotency key: delivery is at least once.


def notifier_handle_charge(ctx: WorkerContext[NotifierState], cmd: Charge, msg: Message) -> None:
    """Handle `billing/charge` in the billing/notifier worker."""
    # State changes go here; they also run during replay, e.g. ctx.state.seen[msg.id] = cmd.
    if ctx.is_replay:
        return
    # Side effects go here, live only: call out through a port on ctx.state (see state.py), so
    # tests can fake it, or ctx.execute(...) a follow-up command.
    # msg.id is an idempotency key: delivery is at least once.


def handle_refund(ctx: WorkerContext[BillingState], cmd: Refund, msg: Message) -> None:
    """Handle `billing/refund` in the billing worker."""
    # State changes go here; they also run during replay, e.g. ctx.state.seen[msg.id] = cmd.
    if ctx.is_replay:
        return
    # Side effects go here, live only: call out through a port on ctx.state (see state.py), so
    # tests can fake it, or ctx.execute(...) a follow-up command.
    # msg.id is an idempotency key: delivery is at least once.


def notifier_handle_refund(ctx: WorkerContext[NotifierState], cmd: Refund, msg: Message) -> None:
    """Handle `billing/refund` in the billing/notifier worker."""
    # State changes go here; they also run during replay, e.g. ctx.state.seen[msg.id] = cmd.
    if ctx.is_replay:
        return
    # Side effects go here, live only: call out through a port on ctx.state (see state.py), so
    # tests can fake it, or ctx.execute(...) a follow-up command.
    # msg.id is an idempotency key: delivery is at least once.


def auditor_handle_refund(ctx: WorkerContext[AuditorState], cmd: Refund, msg: Message) -> None:
    """Handle `billing/refund` in the billing/auditor worker."""
    # State changes go here; they also run during replay, e.g. ctx.state.seen[msg.id] = cmd.
    if ctx.is_replay:
        return
    # Side effects go here, live only: call out through a port on ctx.state (see state.py), so
    # tests can fake it, or ctx.execute(...) a follow-up command.
    # msg.id is an idempotency key: delivery is at least once.

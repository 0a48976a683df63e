"""Periodic work of the billing feature's workers.

This file is yours: petrock creates it once and afterwards only adds functions for new workers.
Periodic work runs while the worker is live, never during replay.
"""

from __future__ import annotations

from petrock_runtime import WorkerContext

from shop.features.billing.state import BillingState, NotifierState


def run_periodic(ctx: WorkerContext[BillingState]) -> None:
    """Runs every 5.0 seconds in the billing worker.

    Put time-driven work here (retries, expiry, polling) and record what you decide with
    ctx.execute(...), so the decision is in the log.
    """


def run_notifier_periodic(ctx: WorkerContext[NotifierState]) -> None:
    """Runs every 5.0 seconds in the billing/notifier worker.

    Put time-driven work here (retries, expiry, polling) and record what you decide with
    ctx.execute(...), so the decision is in the log.
    """

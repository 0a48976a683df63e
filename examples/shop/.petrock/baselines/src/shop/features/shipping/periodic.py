"""Periodic work of the shipping feature's workers.

This file is yours: petrock creates it once and afterwards only adds functions for new workers.
Periodic work runs while the worker is live, never during replay.
"""

from __future__ import annotations

from petrock_runtime import WorkerContext

from shop.features.shipping.state import ShippingState


def run_periodic(ctx: WorkerContext[ShippingState]) -> None:
    """Runs every 5.0 seconds in the shipping worker.

    Put time-driven work here (retries, expiry, polling) and record what you decide with
    ctx.execute(...), so the decision is in the log.
    """

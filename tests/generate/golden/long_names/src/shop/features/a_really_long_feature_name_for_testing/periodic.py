"""Periodic work of the a_really_long_feature_name_for_testing feature's workers.

This file is yours: petrock creates it once and afterwards only adds functions for new workers.
Periodic work runs while the worker is live, never during replay.
"""

from __future__ import annotations

from petrock_runtime import WorkerContext

from shop.features.a_really_long_feature_name_for_testing.state import (
    AnotherQuiteLongWorkerNameHereState,
    AReallyLongFeatureNameForTestingState,
)


def run_periodic(ctx: WorkerContext[AReallyLongFeatureNameForTestingState]) -> None:
    """Runs every 5.0 seconds in the a-really-long-feature-name-for-testing worker.

    Put time-driven work here (retries, expiry, polling) and record what you decide with
    ctx.execute(...), so the decision is in the log.
    """


def run_another_quite_long_worker_name_here_periodic(
    ctx: WorkerContext[AnotherQuiteLongWorkerNameHereState],
) -> None:
    """Runs every 5.0 seconds in the a-really-long-feature-name-for-testing/another-quite-long-worker-name-here worker.

    Put time-driven work here (retries, expiry, polling) and record what you decide with
    ctx.execute(...), so the decision is in the log.
    """

"""The test kit: in-memory apps and replay checks for generated and hand-written tests.

app = make_test_app()
billing.register(app)
app.execute(Charge(invoice_id="inv-1", amount_cents=100))
app.run_until_idle()
assert app.dead_letters() == []
replayed = replay_state(app, billing.worker.build_worker)   # state rebuilt with is_replay=True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from petrock_gen.runtime._app import App
from petrock_gen.runtime._worker import CommandWorker

__all__ = ["make_test_app", "replay_state"]

S = TypeVar("S")


def make_test_app(log_url: str = "memory://") -> App:
    """An app on an in-memory log (or the given URL), ready for `execute` and `run_until_idle`."""
    raise NotImplementedError


def replay_state(app: App, build_worker: Callable[[], CommandWorker[S]]) -> S:
    """Build a fresh worker, replay the whole log of `app` through it with `is_replay=True`, and
    return its state. Raises if a handler fails or attempts `ctx.execute` during replay."""
    raise NotImplementedError


def _unused(_: Any) -> None:
    return None

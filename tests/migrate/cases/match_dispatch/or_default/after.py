"""`match cmd.command_name():` with an or-pattern and a logging-only `case _:` (dropped, noted)."""

import logging

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext

logger = logging.getLogger(__name__)


class StockWorker:
    """Tracks stock levels."""

    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.levels = {}

    @staticmethod
    def _clamp(value):
        return max(0, value)

    def _adjust(self, key, delta):
        self.levels[key] = self._clamp(self.levels.get(key, 0) + delta)


def handle_demo_added(ctx: WorkerContext[StockWorker], cmd: Command, msg: Message) -> None:
    # Both put stock back on the shelf.
    ctx.state._adjust(cmd.key, cmd.amount)


def handle_demo_removed(ctx: WorkerContext[StockWorker], cmd: Command, msg: Message) -> None:
    ctx.state._adjust(cmd.key, -cmd.amount)


def periodic_work(ctx: WorkerContext[StockWorker]) -> None:
    ctx.state.service.levels(dict(ctx.state.levels))


def build_worker(state: StockWorker) -> CommandWorker[StockWorker]:
    worker = CommandWorker("StockWorker", "Tracks stock levels.", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.on_command("demo/renamed", handle_demo_added)
    worker.on_command("demo/removed", handle_demo_removed)
    worker.set_periodic_work(periodic_work, every=1.0)
    return worker

"""The canonical loop: `for msg in self.log.after(...)`, a temporary name, periodic work."""

import logging

from legacy_commands import Notified
from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext

logger = logging.getLogger(__name__)

LIMIT = 3


class TotalsWorker:
    """Keeps a total per key and reports big ones."""

    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        # key -> running total
        self.totals = {}
        self.reported = set()

    def report_big(self):
        """Report every total above LIMIT once."""
        for key, total in sorted(self.totals.items()):
            if total > LIMIT and key not in self.reported:
                self.reported.add(key)
                self.service.big(key, total)

    def _bump(self, key, delta):
        self.totals[key] = self.totals.get(key, 0) + delta


def handle_demo_added(ctx: WorkerContext[TotalsWorker], cmd: Command, msg: Message) -> None:
    # Adding moves the total up.
    ctx.state._bump(cmd.key, cmd.amount)


def handle_demo_removed(ctx: WorkerContext[TotalsWorker], cmd: Command, msg: Message) -> None:
    ctx.state._bump(cmd.key, -cmd.amount)
    ctx.state.service.removed(cmd.key, msg.id)


def handle_demo_flagged(ctx: WorkerContext[TotalsWorker], cmd: Command, msg: Message) -> None:
    ctx.state.executor.execute(Notified(key=cmd.key, amount=ctx.state.totals.get(cmd.key, 0)))


def report_big(ctx: WorkerContext[TotalsWorker]) -> None:
    ctx.state.report_big()


def build_worker(state: TotalsWorker) -> CommandWorker[TotalsWorker]:
    worker = CommandWorker(
        "TotalsWorker", "Keeps a total per key and reports big ones.", state=state
    )
    worker.on_command("demo/added", handle_demo_added)
    worker.on_command("demo/removed", handle_demo_removed)
    worker.on_command("demo/flagged", handle_demo_flagged)
    worker.set_periodic_work(report_big, every=1.0)
    return worker

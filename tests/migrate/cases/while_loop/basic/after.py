"""`while True` with a fetch call and a `None` check."""

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


class PollingWorker:
    """Counts additions and removals."""

    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.cursor = 0
        self.added = 0
        self.removed = 0


def handle_demo_added(ctx: WorkerContext[PollingWorker], cmd: Command, msg: Message) -> None:
    ctx.state.added += cmd.amount


def handle_demo_removed(ctx: WorkerContext[PollingWorker], cmd: Command, msg: Message) -> None:
    ctx.state.removed += cmd.amount
    ctx.state.service.removed(cmd.key)


def build_worker(state: PollingWorker) -> CommandWorker[PollingWorker]:
    worker = CommandWorker("PollingWorker", "Counts additions and removals.", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.on_command("demo/removed", handle_demo_removed)
    return worker

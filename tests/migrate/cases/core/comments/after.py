"""Comments stay next to the code they describe; the ones on loop plumbing are reported."""

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


class CommentedWorker:
    """Worker with comments everywhere."""

    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.added = []


# Everything after the cursor, in order.
def handle_demo_added(ctx: WorkerContext[CommentedWorker], cmd: Command, msg: Message) -> None:
    # the common case
    # Remember it.
    ctx.state.added.append(cmd.key)
    # (end of the added branch)


# Removal comes second.
def handle_demo_removed(ctx: WorkerContext[CommentedWorker], cmd: Command, msg: Message) -> None:
    ctx.state.service.removed(cmd.key)  # tell the service


def periodic_work(ctx: WorkerContext[CommentedWorker]) -> None:
    # Flush after the batch.
    ctx.state.service.flush()


# Runs once per tick.
def build_worker(state: CommentedWorker) -> CommandWorker[CommentedWorker]:
    """Process what arrived since the last tick."""
    worker = CommandWorker("CommentedWorker", "Worker with comments everywhere.", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.on_command("demo/removed", handle_demo_removed)
    worker.set_periodic_work(periodic_work, every=1.0)
    return worker

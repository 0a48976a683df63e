"""The cursor moves before the dispatch (at-most-once): a note says delivery is now
at-least-once; a `break` here skipped the message, so it becomes `return` under a TODO."""

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


class EagerWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.counts = {}


def handle_demo_added(ctx: WorkerContext[EagerWorker], cmd: Command, msg: Message) -> None:
    ctx.state.counts[cmd.key] = ctx.state.counts.get(cmd.key, 0) + 1


def handle_demo_flagged(ctx: WorkerContext[EagerWorker], cmd: Command, msg: Message) -> None:
    if cmd.amount < 0:
        # TODO(petrock): was `break` (line 26): the old loop had already moved its cursor, so
        #   it skipped this message and stopped the batch; now only this message is skipped:
        #   confirm.
        return
    ctx.state.service.flagged(cmd.key)


def build_worker(state: EagerWorker) -> CommandWorker[EagerWorker]:
    worker = CommandWorker("EagerWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.on_command("demo/flagged", handle_demo_flagged)
    return worker

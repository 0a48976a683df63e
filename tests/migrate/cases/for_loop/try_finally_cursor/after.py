"""The cursor moves in a `finally:` (a failing message was skipped): the `try/finally` is
unwrapped, and a note says delivery turns at-least-once."""

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


class FinallyWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.sizes = {}


def handle_demo_added(ctx: WorkerContext[FinallyWorker], cmd: Command, msg: Message) -> None:
    ctx.state.sizes[cmd.key] = cmd.amount


def handle_demo_removed(ctx: WorkerContext[FinallyWorker], cmd: Command, msg: Message) -> None:
    ctx.state.service.gone(ctx.state.sizes.pop(cmd.key, None))


def build_worker(state: FinallyWorker) -> CommandWorker[FinallyWorker]:
    worker = CommandWorker("FinallyWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.on_command("demo/removed", handle_demo_removed)
    return worker

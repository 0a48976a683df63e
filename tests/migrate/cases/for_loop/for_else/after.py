"""A `for ... else:` message loop without `break`: the `else:` runs after every batch, so it is
periodic work, with the code after the loop."""

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


class ElseWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.seen = []


def handle_demo_added(ctx: WorkerContext[ElseWorker], cmd: Command, msg: Message) -> None:
    ctx.state.seen.append(cmd.key)


def handle_demo_removed(ctx: WorkerContext[ElseWorker], cmd: Command, msg: Message) -> None:
    for key in list(ctx.state.seen):
        if key == cmd.key:
            ctx.state.seen.remove(key)
            break


def periodic_work(ctx: WorkerContext[ElseWorker]) -> None:
    # Every batch ends with a report.
    # no `break` above stops the message loop
    ctx.state.service.report(len(ctx.state.seen))
    ctx.state.service.tick(len(ctx.state.seen))


def build_worker(state: ElseWorker) -> CommandWorker[ElseWorker]:
    worker = CommandWorker("ElseWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.on_command("demo/removed", handle_demo_removed)
    worker.set_periodic_work(periodic_work, every=1.0)
    return worker

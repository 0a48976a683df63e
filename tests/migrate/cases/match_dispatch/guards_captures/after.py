"""Guards fall through to the later cases for the same name; a capture becomes `on_unknown`."""

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


class RouterWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.big = []
        self.small = []
        self.unknown = []


def handle_demo_added(ctx: WorkerContext[RouterWorker], cmd: Command, msg: Message) -> None:
    name = cmd.command_name()
    if cmd.amount > 5:
        ctx.state.big.append(cmd.key)
    else:
        which = name
        ctx.state.small.append((which, cmd.key))


def handle_demo_removed(ctx: WorkerContext[RouterWorker], cmd: Command, msg: Message) -> None:
    name = cmd.command_name()
    which = name
    ctx.state.small.append((which, cmd.key))


def handle_unknown(ctx: WorkerContext[RouterWorker], msg: Message) -> None:
    cmd = msg.payload
    if cmd is None:
        return
    name = cmd.command_name()
    other = name
    if other.startswith("demo/"):
        ctx.state.service.unrouted(other, msg.id)
    else:
        other = name
        ctx.state.unknown.append(other)


def build_worker(state: RouterWorker) -> CommandWorker[RouterWorker]:
    worker = CommandWorker("RouterWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.on_command("demo/removed", handle_demo_removed)
    worker.on_unknown(handle_unknown)
    return worker

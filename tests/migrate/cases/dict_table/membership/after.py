"""A dispatch table looked up with `if name in self.table: self.table[name](...)`, with a default."""

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


class MemberTableWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.position = 0
        self.flags = set()
        self.routes = {"demo/flagged": self._flag, "demo/removed": self._unflag}

    def _flag(self, key):
        self.flags.add(key)

    def _unflag(self, key):
        self.flags.discard(key)


def handle_demo_flagged(ctx: WorkerContext[MemberTableWorker], cmd: Command, msg: Message) -> None:
    ctx.state._flag(cmd.key)


def handle_demo_removed(ctx: WorkerContext[MemberTableWorker], cmd: Command, msg: Message) -> None:
    ctx.state._unflag(cmd.key)


def handle_unknown(ctx: WorkerContext[MemberTableWorker], msg: Message) -> None:
    cmd = msg.payload
    name = cmd.command_name()
    ctx.state.service.unrouted(name, msg.id)


def build_worker(state: MemberTableWorker) -> CommandWorker[MemberTableWorker]:
    worker = CommandWorker("MemberTableWorker", "", state=state)
    worker.on_command("demo/flagged", handle_demo_flagged)
    worker.on_command("demo/removed", handle_demo_removed)
    worker.on_unknown(handle_unknown)
    return worker

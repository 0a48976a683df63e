"""A literal dispatch table of methods, built in `__init__`, looked up with `.get(name)`."""

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


class TableWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.position = 0
        self.totals = {}
        self.handlers = {
            "demo/added": self._on_added,
            "demo/renamed": self._on_added,
            "demo/removed": self._on_removed,
        }

    def _on_added(self, cmd, message_id):
        self.totals[cmd.key] = self.totals.get(cmd.key, 0) + cmd.amount

    def _on_removed(self, cmd, message_id):
        self.totals.pop(cmd.key, None)
        self.service.removed(cmd.key, message_id)


def handle_demo_added(ctx: WorkerContext[TableWorker], cmd: Command, msg: Message) -> None:
    ctx.state._on_added(cmd, msg.id)


def handle_demo_removed(ctx: WorkerContext[TableWorker], cmd: Command, msg: Message) -> None:
    ctx.state._on_removed(cmd, msg.id)


def build_worker(state: TableWorker) -> CommandWorker[TableWorker]:
    worker = CommandWorker("TableWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.on_command("demo/renamed", handle_demo_added)
    worker.on_command("demo/removed", handle_demo_removed)
    return worker

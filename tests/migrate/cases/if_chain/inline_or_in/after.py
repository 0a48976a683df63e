"""Inline `cmd.command_name()`, `==` both ways, `in (...)` and `or`: one handler per branch,
registered under every name it matched."""

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


class TagWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.tags = {}


def handle_demo_added(ctx: WorkerContext[TagWorker], cmd: Command, msg: Message) -> None:
    ctx.state.tags.setdefault(cmd.key, []).append("live")


def handle_demo_removed(ctx: WorkerContext[TagWorker], cmd: Command, msg: Message) -> None:
    ctx.state.tags.pop(cmd.key, None)


def handle_demo_flagged(ctx: WorkerContext[TagWorker], cmd: Command, msg: Message) -> None:
    ctx.state.service.tagged(cmd.key, cmd.command_name())


def build_worker(state: TagWorker) -> CommandWorker[TagWorker]:
    worker = CommandWorker("TagWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.on_command("demo/renamed", handle_demo_added)
    worker.on_command("demo/removed", handle_demo_removed)
    worker.on_command("demo/flagged", handle_demo_flagged)
    worker.on_command("other/ignored", handle_demo_flagged)
    return worker

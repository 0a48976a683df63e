"""Periodic work before the loop (and after it): both go to the periodic function, with a note
that the code before the loop now runs after the handlers."""

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


class TickWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.ticks = 0
        self.keys = []


def handle_demo_added(ctx: WorkerContext[TickWorker], cmd: Command, msg: Message) -> None:
    ctx.state.keys.append(cmd.key)


def periodic_work(ctx: WorkerContext[TickWorker]) -> None:
    ctx.state.ticks += 1
    ctx.state.service.tick(ctx.state.ticks)


def build_worker(state: TickWorker) -> CommandWorker[TickWorker]:
    worker = CommandWorker("TickWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.set_periodic_work(periodic_work, every=1.0)
    return worker

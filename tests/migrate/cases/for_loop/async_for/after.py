"""`async def work` with `async for`: handlers and periodic work become `async def`."""

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


class AsyncWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.position = 0
        self.seen = []


async def handle_demo_added(ctx: WorkerContext[AsyncWorker], cmd: Command, msg: Message) -> None:
    ctx.state.seen.append(cmd.key)
    await ctx.state.service.added(cmd.key)


async def periodic_work(ctx: WorkerContext[AsyncWorker]) -> None:
    await ctx.state.service.tick(len(ctx.state.seen))


def build_worker(state: AsyncWorker) -> CommandWorker[AsyncWorker]:
    worker = CommandWorker("AsyncWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.set_periodic_work(periodic_work, every=1.0)
    return worker

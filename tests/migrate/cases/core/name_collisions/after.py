"""Runtime names the module already uses are imported under aliases; generated names avoid
module names; two migrated classes get `build_<class>` factories."""

from legacy_core import Command
from petrock_runtime import CommandWorker, WorkerContext
from petrock_runtime import Message as PetrockMessage

Message = "a module-level name that is not the runtime's Message"
build_worker = None


def flush(items):
    return list(items)


class AlphaWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.items = []

    def flush(self):
        self.service.flushed(flush(self.items))


def handle_demo_added(ctx: WorkerContext[AlphaWorker], cmd: Command, msg: PetrockMessage) -> None:
    ctx.state.items.append(cmd.key)


def flush_2(ctx: WorkerContext[AlphaWorker]) -> None:
    ctx.state.flush()


def build_alpha_worker(state: AlphaWorker) -> CommandWorker[AlphaWorker]:
    worker = CommandWorker("AlphaWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.set_periodic_work(flush_2, every=1.0)
    return worker


class BetaWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.items = []

    def flush(self):
        self.service.flushed(flush(self.items))


def handle_demo_added_2(ctx: WorkerContext[BetaWorker], cmd: Command, msg: PetrockMessage) -> None:
    ctx.state.items.append(cmd.amount)


def flush_3(ctx: WorkerContext[BetaWorker]) -> None:
    ctx.state.flush()


def build_beta_worker(state: BetaWorker) -> CommandWorker[BetaWorker]:
    worker = CommandWorker("BetaWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added_2)
    worker.set_periodic_work(flush_3, every=1.0)
    return worker

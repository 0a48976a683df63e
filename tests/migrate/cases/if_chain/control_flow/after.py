"""Control flow in branches: a top-level `continue` becomes `return`, an inner loop keeps its own
`continue`, and a `break` that retried the message becomes `raise Retry(...)` under a TODO."""

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, Retry, WorkerContext

SKIPPED = frozenset({"x"})


class GuardedWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.limiter = service
        self.last_processed_id = 0
        self.points = {}


def handle_demo_added(ctx: WorkerContext[GuardedWorker], cmd: Command, msg: Message) -> None:
    if cmd.key in SKIPPED:
        # Nothing to count for these.
        return
    for step in range(cmd.amount):
        if step % 2:
            continue
        ctx.state.points[cmd.key] = ctx.state.points.get(cmd.key, 0) + 1


def handle_demo_flagged(ctx: WorkerContext[GuardedWorker], cmd: Command, msg: Message) -> None:
    if not ctx.state.limiter.try_acquire():
        # Rate limited: stop here, try this message again next tick.
        # TODO(petrock): was `break` (line 35): the old loop retried this message on its next
        #   tick. Retry backs off, then dead-letters after RetryPolicy.max_attempts: confirm.
        raise Retry(reason="the old worker retried this message")
    ctx.state.service.flag(cmd.key, msg.id)


def build_worker(state: GuardedWorker) -> CommandWorker[GuardedWorker]:
    worker = CommandWorker("GuardedWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.on_command("demo/flagged", handle_demo_flagged)
    return worker

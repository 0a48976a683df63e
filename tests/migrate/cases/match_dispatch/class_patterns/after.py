"""`match cmd:` with class patterns over command classes declared in this module: keyword
captures, a guard falling through to the next case of the same class, an or-pattern with `as`."""

from dataclasses import dataclass

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


@dataclass(frozen=True)
class Opened(Command, name="shelf/opened"):
    key: str
    amount: int = 0


@dataclass(frozen=True)
class Closed(Command, name="shelf/closed"):
    key: str
    amount: int = 0


@dataclass(frozen=True)
class Archived(Command, name="shelf/archived"):
    key: str
    amount: int = 0


class ShelfWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.open = set()
        self.big = {}


def handle_shelf_opened(ctx: WorkerContext[ShelfWorker], cmd: Opened, msg: Message) -> None:
    k = cmd.key
    n = cmd.amount
    if n > 3:
        ctx.state.big[k] = n
    else:
        k = cmd.key
        ctx.state.open.add(k)


def handle_shelf_closed(
    ctx: WorkerContext[ShelfWorker], cmd: Closed | Archived, msg: Message
) -> None:
    done = cmd
    # Closing and archiving both take the shelf out of the open set.
    ctx.state.open.discard(done.key)
    ctx.state.service.closed(done.key)


def handle_unknown(ctx: WorkerContext[ShelfWorker], msg: Message) -> None:
    cmd = msg.payload
    if cmd is None:
        return
    ctx.state.service.other(cmd.command_name(), msg.id)


def build_worker(state: ShelfWorker) -> CommandWorker[ShelfWorker]:
    worker = CommandWorker("ShelfWorker", "", state=state)
    worker.on_command("shelf/opened", handle_shelf_opened)
    worker.on_command("shelf/closed", handle_shelf_closed)
    worker.on_command("shelf/archived", handle_shelf_closed)
    worker.on_unknown(handle_unknown)
    return worker

"""An `isinstance` chain over command classes declared in this module with `name=...`."""

from dataclasses import dataclass

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


@dataclass(frozen=True)
class Opened(Command, name="docs/opened"):
    key: str
    amount: int = 0


@dataclass(frozen=True)
class Closed(Command, name="docs/closed"):
    key: str
    amount: int = 0


@dataclass(frozen=True)
class Archived(Command, name="docs/archived"):
    key: str
    amount: int = 0


class DocsWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.open = set()


def handle_docs_opened(ctx: WorkerContext[DocsWorker], cmd: Opened, msg: Message) -> None:
    ctx.state.open.add(cmd.key)


def handle_docs_closed(
    ctx: WorkerContext[DocsWorker], cmd: Closed | Archived, msg: Message
) -> None:
    # Closing and archiving both take the document out of the open set.
    ctx.state.open.discard(cmd.key)
    ctx.state.service.closed(cmd.key)


def build_worker(state: DocsWorker) -> CommandWorker[DocsWorker]:
    worker = CommandWorker("DocsWorker", "", state=state)
    worker.on_command("docs/opened", handle_docs_opened)
    worker.on_command("docs/closed", handle_docs_closed)
    worker.on_command("docs/archived", handle_docs_closed)
    return worker

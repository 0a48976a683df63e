"""Literal names as class attributes (`name: ClassVar[str] = ...` and plain `name = ...`)."""

from dataclasses import dataclass
from typing import ClassVar

from petrock_runtime import CommandWorker, Message, WorkerContext


@dataclass(frozen=True)
class Published:
    name: ClassVar[str] = "docs/published"
    doc_id: str


@dataclass(frozen=True)
class Unpublished:
    name = "docs/unpublished"
    doc_id: str


@dataclass(frozen=True)
class Committed:
    name: ClassVar[str] = "search/committed"


class IndexWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.last_processed_id = 0
        self.live = set()


def handle_docs_published(ctx: WorkerContext[IndexWorker], cmd: Published, msg: Message) -> None:
    ctx.state.live.add(cmd.doc_id)


def handle_docs_unpublished(
    ctx: WorkerContext[IndexWorker], cmd: Unpublished, msg: Message
) -> None:
    ctx.state.live.discard(cmd.doc_id)


def periodic_work(ctx: WorkerContext[IndexWorker]) -> None:
    ctx.state.executor.execute(Committed())


def build_worker(state: IndexWorker) -> CommandWorker[IndexWorker]:
    worker = CommandWorker("IndexWorker", "", state=state)
    worker.on_command("docs/published", handle_docs_published)
    worker.on_command("docs/unpublished", handle_docs_unpublished)
    worker.set_periodic_work(periodic_work, every=1.0)
    return worker

"""Literal names as class attributes (`name: ClassVar[str] = ...` and plain `name = ...`)."""

from dataclasses import dataclass
from typing import ClassVar


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

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if isinstance(cmd, Published):
                self.live.add(cmd.doc_id)
            elif isinstance(cmd, Unpublished):
                self.live.discard(cmd.doc_id)
            self.last_processed_id = msg.id
        self.executor.execute(Committed())

"""An `isinstance` chain over command classes declared in this module with `name=...`."""

from dataclasses import dataclass

from legacy_core import Command


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

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if isinstance(cmd, Opened):
                self.open.add(cmd.key)
            elif isinstance(cmd, (Closed, Archived)):
                # Closing and archiving both take the document out of the open set.
                self.open.discard(cmd.key)
                self.service.closed(cmd.key)
            self.last_processed_id = msg.id

"""`isinstance` also matches subclasses, a name registration would not: refused."""

from dataclasses import dataclass

from legacy_core import Command


@dataclass(frozen=True)
class Opened(Command, name="docs/opened"):
    key: str


@dataclass(frozen=True)
class Reopened(Opened, name="docs/reopened"):
    pass


class OpenWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.last_processed_id = 0
        self.open = set()

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if isinstance(cmd, Opened):
                self.open.add(cmd.key)
            self.last_processed_id = msg.id

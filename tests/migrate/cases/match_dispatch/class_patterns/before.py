"""`match cmd:` with class patterns over command classes declared in this module: keyword
captures, a guard falling through to the next case of the same class, an or-pattern with `as`."""

from dataclasses import dataclass

from legacy_core import Command


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

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            match cmd:
                case Opened(key=k, amount=n) if n > 3:
                    self.big[k] = n
                case Opened(key=k):
                    self.open.add(k)
                case Closed() | Archived() as done:
                    # Closing and archiving both take the shelf out of the open set.
                    self.open.discard(done.key)
                    self.service.closed(done.key)
                case _:
                    self.service.other(cmd.command_name(), msg.id)
            self.last_processed_id = msg.id

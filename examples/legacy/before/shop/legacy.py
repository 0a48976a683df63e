"""The old worker plumbing: an in-memory log read after a cursor, and an executor."""

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class OldMessage:
    id: int
    timestamp: datetime
    decoded_payload: object


class OldLog:
    def __init__(self):
        self.messages = []

    def append(self, command):
        message = OldMessage(len(self.messages) + 1, datetime.now(UTC), command)
        self.messages.append(message)
        return message

    def after(self, position):
        return [m for m in self.messages if m.id > position]


class OldExecutor:
    def __init__(self, log):
        self.log = log

    def execute(self, command):
        command.validate()
        return self.log.append(command)

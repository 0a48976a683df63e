"""Class patterns the migrator cannot resolve safely: each worker is refused with the line."""

from dataclasses import dataclass

from legacy_commands import Added
from legacy_core import Command


@dataclass(frozen=True)
class Opened(Command, name="shelf/opened"):
    key: str
    amount: int = 0


class PositionalWorker:
    def __init__(self, log):
        self.log = log
        self.last_processed_id = 0
        self.keys = []

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            match cmd:
                case Opened(k):  # depends on __match_args__
                    self.keys.append(k)
            self.last_processed_id = msg.id


class ValueWorker:
    def __init__(self, log):
        self.log = log
        self.last_processed_id = 0
        self.keys = []

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            match cmd:
                case Opened(key="special"):
                    self.keys.append(cmd.key)
            self.last_processed_id = msg.id


class ForeignWorker:
    def __init__(self, log):
        self.log = log
        self.last_processed_id = 0
        self.keys = []

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            match cmd:
                case Opened():
                    self.keys.append(cmd.key)
                case Added():
                    self.keys.append(None)
            self.last_processed_id = msg.id


class UndeclaredWorker:
    def __init__(self, log):
        self.log = log
        self.last_processed_id = 0
        self.keys = []

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            match msg.decoded_payload:
                case Opened(owner=who):
                    self.keys.append(who)
                case "shelf/opened":
                    self.keys.append(None)
            self.last_processed_id = msg.id

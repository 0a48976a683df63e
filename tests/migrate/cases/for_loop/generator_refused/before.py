"""`work()` yields after every message: refused, left byte for byte."""

from legacy_core import Command


class SteppingWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.last_processed_id = 0
        self.seen = []

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            if cmd.command_name() == "demo/added":
                self.seen.append(cmd.key)
            self.last_processed_id = msg.id
            yield msg.id

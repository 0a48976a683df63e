"""A branch reads the cursor, which no longer moves: refused."""

from legacy_core import Command


class PeekingWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.last_processed_id = 0
        self.marks = {}

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if cmd.command_name() == "demo/added":
                self.marks[cmd.key] = self.last_processed_id
            self.last_processed_id = msg.id

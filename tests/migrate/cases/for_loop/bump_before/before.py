"""The cursor moves before the dispatch (at-most-once): a note says delivery is now
at-least-once; a `break` here skipped the message, so it becomes `return` under a TODO."""

from legacy_core import Command


class EagerWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.counts = {}

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            self.last_processed_id = msg.id
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            name = cmd.command_name()
            if name == "demo/added":
                self.counts[cmd.key] = self.counts.get(cmd.key, 0) + 1
            elif name == "demo/flagged":
                if cmd.amount < 0:
                    break
                self.service.flagged(cmd.key)

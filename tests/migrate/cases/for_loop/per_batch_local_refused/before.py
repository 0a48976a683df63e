"""A per-batch local is shared between messages: refused (keep it on `self` first)."""

from legacy_core import Command


class BatchingWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.service = service
        self.last_processed_id = 0

    def work(self):
        batch = []
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if cmd.command_name() == "demo/added":
                batch.append(cmd.key)
            self.last_processed_id = msg.id
        self.service.flush(batch)

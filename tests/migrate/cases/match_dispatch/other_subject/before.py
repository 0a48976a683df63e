"""A `match` on something other than the command name: refused, no dispatch to migrate."""

from legacy_core import Command


class AmountWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.last_processed_id = 0
        self.zero = 0

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            match cmd.amount:
                case 0:
                    self.zero += 1
            self.last_processed_id = msg.id

"""A local set in one branch and read in another (carried between messages): refused by the
undefined-name check on the result."""

from legacy_core import Command


class CarryWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.service = service
        self.last_processed_id = 0

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if cmd.command_name() == "demo/added":
                last_key = cmd.key
            elif cmd.command_name() == "demo/removed":
                self.service.pair(last_key, cmd.key)
            self.last_processed_id = msg.id

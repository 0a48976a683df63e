"""A `break` skips the `else:` of the message loop: the runtime has no way to say so."""

from legacy_core import Command


class StoppingWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.seen = []

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if cmd.command_name() == "demo/added":
                self.seen.append(cmd.key)
            elif cmd.command_name() == "demo/flagged":
                break
            self.last_processed_id = msg.id
        else:
            self.service.report(len(self.seen))

"""The cursor moves in a `finally:` (a failing message was skipped): the `try/finally` is
unwrapped, and a note says delivery turns at-least-once."""

from legacy_core import Command


class FinallyWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.sizes = {}

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            try:
                cmd = msg.decoded_payload
                if cmd.command_name() == "demo/added":
                    self.sizes[cmd.key] = cmd.amount
                elif cmd.command_name() == "demo/removed":
                    self.service.gone(self.sizes.pop(cmd.key, None))
            finally:
                self.last_processed_id = msg.id

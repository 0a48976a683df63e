"""Periodic work before the loop (and after it): both go to the periodic function, with a note
that the code before the loop now runs after the handlers."""

from legacy_core import Command


class TickWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.ticks = 0
        self.keys = []

    def work(self):
        self.ticks += 1
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            if cmd.command_name() == "demo/added":
                self.keys.append(cmd.key)
            self.last_processed_id = msg.id
        self.service.tick(self.ticks)

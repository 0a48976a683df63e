"""A test the migrator cannot turn into literal names: refused, never a guessed registration."""

from legacy_core import Command


class PrefixWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.last_processed_id = 0
        self.demo = 0

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            name = cmd.command_name()
            if name.startswith("demo/"):
                self.demo += 1
            elif name == "other/ignored":
                self.demo -= 1
            self.last_processed_id = msg.id

"""A dispatch table whose keys are not all literals: refused."""

from legacy_core import Command

ADDED = "demo/added"


class LooseTableWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.position = 0
        self.count = 0
        self.handlers = {ADDED: self._on_added}

    def work(self):
        for msg in self.log.after(self.position):
            cmd = msg.decoded_payload
            handler = self.handlers.get(cmd.command_name())
            if handler is not None:
                handler(cmd)
            self.position = msg.id

    def _on_added(self, cmd):
        self.count += 1

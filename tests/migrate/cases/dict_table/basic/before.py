"""A literal dispatch table of methods, built in `__init__`, looked up with `.get(name)`."""

from legacy_core import Command


class TableWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.position = 0
        self.totals = {}
        self.handlers = {
            "demo/added": self._on_added,
            "demo/renamed": self._on_added,
            "demo/removed": self._on_removed,
        }

    def work(self):
        for msg in self.log.after(self.position):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            handler = self.handlers.get(cmd.command_name())
            if handler is not None:
                handler(cmd, msg.id)
            self.position = msg.id

    def _on_added(self, cmd, message_id):
        self.totals[cmd.key] = self.totals.get(cmd.key, 0) + cmd.amount

    def _on_removed(self, cmd, message_id):
        self.totals.pop(cmd.key, None)
        self.service.removed(cmd.key, message_id)

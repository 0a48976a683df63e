"""Inline `cmd.command_name()`, `==` both ways, `in (...)` and `or`: one handler per branch,
registered under every name it matched."""

from legacy_core import Command


class TagWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.tags = {}

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            if cmd.command_name() == "demo/added" or cmd.command_name() == "demo/renamed":
                self.tags.setdefault(cmd.key, []).append("live")
            elif "demo/removed" == cmd.command_name():
                self.tags.pop(cmd.key, None)
            elif cmd.command_name() in ("demo/flagged", "other/ignored"):
                self.service.tagged(cmd.key, cmd.command_name())
            self.last_processed_id = msg.id

"""A dispatch table looked up with `if name in self.table: self.table[name](...)`, with a default."""

from legacy_core import Command


class MemberTableWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.position = 0
        self.flags = set()
        self.routes = {"demo/flagged": self._flag, "demo/removed": self._unflag}

    def work(self):
        for msg in self.log.after(self.position):
            cmd = msg.decoded_payload
            name = cmd.command_name()
            if name in self.routes:
                self.routes[name](cmd.key)
            else:
                self.service.unrouted(name, msg.id)
            self.position = msg.id

    def _flag(self, key):
        self.flags.add(key)

    def _unflag(self, key):
        self.flags.discard(key)

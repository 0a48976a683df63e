"""`while True` with a fetch call and a `None` check."""

from legacy_core import Command


class PollingWorker:
    """Counts additions and removals."""

    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.cursor = 0
        self.added = 0
        self.removed = 0

    def work(self):
        while True:
            msg = self.log.next_after(self.cursor)
            if msg is None:
                break
            cmd = msg.decoded_payload
            name = cmd.command_name()
            if name == "demo/added":
                self.added += cmd.amount
            elif name == "demo/removed":
                self.removed += cmd.amount
                self.service.removed(cmd.key)
            self.cursor = msg.id

"""Guards fall through to the later cases for the same name; a capture becomes `on_unknown`."""

from legacy_core import Command


class RouterWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.big = []
        self.small = []
        self.unknown = []

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            name = cmd.command_name()
            match name:
                case "demo/added" if cmd.amount > 5:
                    self.big.append(cmd.key)
                case "demo/added" | "demo/removed" as which:
                    self.small.append((which, cmd.key))
                case other if other.startswith("demo/"):
                    self.service.unrouted(other, msg.id)
                case other:
                    self.unknown.append(other)
            self.last_processed_id = msg.id

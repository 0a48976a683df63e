"""Runtime names the module already uses are imported under aliases; generated names avoid
module names; two migrated classes get `build_<class>` factories."""

from legacy_core import Command

Message = "a module-level name that is not the runtime's Message"
build_worker = None


def flush(items):
    return list(items)


class AlphaWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.items = []

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if cmd.command_name() == "demo/added":
                self.items.append(cmd.key)
            self.last_processed_id = msg.id
        self.flush()

    def flush(self):
        self.service.flushed(flush(self.items))


class BetaWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.items = []

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if cmd.command_name() == "demo/added":
                self.items.append(cmd.amount)
            self.last_processed_id = msg.id
        self.flush()

    def flush(self):
        self.service.flushed(flush(self.items))

"""Control flow in branches: a top-level `continue` becomes `return`, an inner loop keeps its own
`continue`, and a `break` that retried the message becomes `raise Retry(...)` under a TODO."""

from legacy_core import Command

SKIPPED = frozenset({"x"})


class GuardedWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.limiter = service
        self.last_processed_id = 0
        self.points = {}

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            name = cmd.command_name()
            if name == "demo/added":
                if cmd.key in SKIPPED:
                    # Nothing to count for these.
                    continue
                for step in range(cmd.amount):
                    if step % 2:
                        continue
                    self.points[cmd.key] = self.points.get(cmd.key, 0) + 1
            elif name == "demo/flagged":
                if not self.limiter.try_acquire():
                    # Rate limited: stop here, try this message again next tick.
                    break
                self.service.flag(cmd.key, msg.id)
            self.last_processed_id = msg.id

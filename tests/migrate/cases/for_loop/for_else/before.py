"""A `for ... else:` message loop without `break`: the `else:` runs after every batch, so it is
periodic work, with the code after the loop."""

from legacy_core import Command


class ElseWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.seen = []

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            if cmd.command_name() == "demo/added":
                self.seen.append(cmd.key)
            elif cmd.command_name() == "demo/removed":
                for key in list(self.seen):
                    if key == cmd.key:
                        self.seen.remove(key)
                        break
            self.last_processed_id = msg.id
        # Every batch ends with a report.
        else:  # no `break` above stops the message loop
            self.service.report(len(self.seen))
        self.service.tick(len(self.seen))

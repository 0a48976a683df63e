"""Comments stay next to the code they describe; the ones on loop plumbing are reported."""

from legacy_core import Command


class CommentedWorker:
    """Worker with comments everywhere."""

    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.added = []

    # Runs once per tick.
    def work(self):
        """Process what arrived since the last tick."""
        # Everything after the cursor, in order.
        for msg in self.log.after(self.last_processed_id):
            # Decode once.
            cmd = msg.decoded_payload
            name = cmd.command_name()
            if name == "demo/added":  # the common case
                # Remember it.
                self.added.append(cmd.key)
                # (end of the added branch)
            # Removal comes second.
            elif name == "demo/removed":
                self.service.removed(cmd.key)  # tell the service
            self.last_processed_id = msg.id  # move on
        # Flush after the batch.
        self.service.flush()

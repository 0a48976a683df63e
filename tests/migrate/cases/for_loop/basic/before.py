"""The canonical loop: `for msg in self.log.after(...)`, a temporary name, periodic work."""

import logging

from legacy_commands import Notified
from legacy_core import Command

logger = logging.getLogger(__name__)

LIMIT = 3


class TotalsWorker:
    """Keeps a total per key and reports big ones."""

    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        # key -> running total
        self.totals = {}
        self.reported = set()

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            name = cmd.command_name()
            if name == "demo/added":
                # Adding moves the total up.
                self._bump(cmd.key, cmd.amount)
            elif name == "demo/removed":
                self._bump(cmd.key, -cmd.amount)
                self.service.removed(cmd.key, msg.id)
            elif name == "demo/flagged":
                self.executor.execute(Notified(key=cmd.key, amount=self.totals.get(cmd.key, 0)))
            self.last_processed_id = msg.id
        self.report_big()

    def report_big(self):
        """Report every total above LIMIT once."""
        for key, total in sorted(self.totals.items()):
            if total > LIMIT and key not in self.reported:
                self.reported.add(key)
                self.service.big(key, total)

    def _bump(self, key, delta):
        self.totals[key] = self.totals.get(key, 0) + delta

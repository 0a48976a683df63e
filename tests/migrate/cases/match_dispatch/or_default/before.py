"""`match cmd.command_name():` with an or-pattern and a logging-only `case _:` (dropped, noted)."""

import logging

from legacy_core import Command

logger = logging.getLogger(__name__)


class StockWorker:
    """Tracks stock levels."""

    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.levels = {}

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            match cmd.command_name():
                case "demo/added" | "demo/renamed":
                    # Both put stock back on the shelf.
                    self._adjust(cmd.key, cmd.amount)
                case "demo/removed":
                    self._adjust(cmd.key, -cmd.amount)
                case _:
                    logger.debug("stock: ignoring %s", cmd.command_name())
            self.last_processed_id = msg.id
        self.service.levels(dict(self.levels))

    @staticmethod
    def _clamp(value):
        return max(0, value)

    def _adjust(self, key, delta):
        self.levels[key] = self._clamp(self.levels.get(key, 0) + delta)

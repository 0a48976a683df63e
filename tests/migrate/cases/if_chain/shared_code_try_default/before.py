"""Shared code around the dispatch, a per-message `try:` and a default branch: every handler
gets the shared code inside the `try:`, and `on_unknown` keeps the default branch."""

import logging

from legacy_core import Command

logger = logging.getLogger(__name__)


class AuditWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.seen = 0
        self.by_key = {}
        self.others = []

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            name = cmd.command_name()
            try:
                self.seen += 1
                key = cmd.key.lower()
                if name == "demo/added":
                    self.by_key[key] = self.by_key.get(key, 0) + cmd.amount
                elif name == "demo/removed":
                    self.service.removed(key)
                else:
                    self.others.append(name)
                self.service.audited(msg.id)
            except Exception:
                logger.exception("audit failed for message %s", msg.id)
            finally:
                self.last_processed_id = msg.id

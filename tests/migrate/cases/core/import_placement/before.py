"""The runtime import sorts into the third-party section, between the module's own third-party
imports, as ruff's isort wants it."""

from __future__ import annotations

import logging
from collections import Counter

from legacy_core import Command
from rich.text import Text

logger = logging.getLogger(__name__)


class LabelWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.labels = Counter()

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            if cmd.command_name() == "demo/added":
                self.labels[Text(cmd.key).plain] += 1
            self.last_processed_id = msg.id

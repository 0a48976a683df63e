"""The runtime import sorts into the third-party section, between the module's own third-party
imports, as ruff's isort wants it."""

from __future__ import annotations

import logging
from collections import Counter

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext
from rich.text import Text

logger = logging.getLogger(__name__)


class LabelWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.labels = Counter()


def handle_demo_added(ctx: WorkerContext[LabelWorker], cmd: Command, msg: Message) -> None:
    ctx.state.labels[Text(cmd.key).plain] += 1


def build_worker(state: LabelWorker) -> CommandWorker[LabelWorker]:
    worker = CommandWorker("LabelWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added)
    return worker

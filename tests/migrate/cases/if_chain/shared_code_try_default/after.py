"""Shared code around the dispatch, a per-message `try:` and a default branch: every handler
gets the shared code inside the `try:`, and `on_unknown` keeps the default branch."""

import logging

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext

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


def handle_demo_added(ctx: WorkerContext[AuditWorker], cmd: Command, msg: Message) -> None:
    try:
        ctx.state.seen += 1
        key = cmd.key.lower()
        ctx.state.by_key[key] = ctx.state.by_key.get(key, 0) + cmd.amount
        ctx.state.service.audited(msg.id)
    except Exception:
        logger.exception("audit failed for message %s", msg.id)


def handle_demo_removed(ctx: WorkerContext[AuditWorker], cmd: Command, msg: Message) -> None:
    try:
        ctx.state.seen += 1
        key = cmd.key.lower()
        ctx.state.service.removed(key)
        ctx.state.service.audited(msg.id)
    except Exception:
        logger.exception("audit failed for message %s", msg.id)


def handle_unknown(ctx: WorkerContext[AuditWorker], msg: Message) -> None:
    cmd = msg.payload
    if cmd is None:
        return
    name = cmd.command_name()
    try:
        ctx.state.seen += 1
        cmd.key.lower()
        ctx.state.others.append(name)
        ctx.state.service.audited(msg.id)
    except Exception:
        logger.exception("audit failed for message %s", msg.id)


def build_worker(state: AuditWorker) -> CommandWorker[AuditWorker]:
    worker = CommandWorker("AuditWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added)
    worker.on_command("demo/removed", handle_demo_removed)
    worker.on_unknown(handle_unknown)
    return worker

"""The petrock_gen runtime: commands, the message log, the executor, command workers and the app.

Standard library only (PostgreSQL through psycopg 3 with the `postgres` extra). Layers point one
way: commands -> log -> worker -> app. Users write plain functions (handlers, periodic work); the
runtime owns loops, positions, retries and shutdown.

    @dataclass(frozen=True)
    class Charge(Command, name="billing/charge"):
        invoice_id: str
        amount_cents: int

    worker = CommandWorker("Billing Worker", "Charges invoices", state=BillingState())
    worker.on_command(Charge, handle_charge)
    worker.set_periodic_work(retry_failed, every=5.0)

    app = App("sqlite:///app.db")
    app.register_commands(Charge)
    app.register_worker(worker)
    app.run()
"""

from __future__ import annotations

import logging

from petrock_gen.runtime._app import App
from petrock_gen.runtime._clock import Clock, SystemClock
from petrock_gen.runtime._command import Command, CommandRegistry, ValidationError
from petrock_gen.runtime._errors import (
    DecodeError,
    ExecutionError,
    ReplayError,
    RuntimeFailure,
    WorkerHalted,
)
from petrock_gen.runtime._executor import Executor
from petrock_gen.runtime._log import MessageLog, open_log
from petrock_gen.runtime._memory import MemoryMessageLog
from petrock_gen.runtime._message import DeadLetter, Message
from petrock_gen.runtime._sqlite import SQLiteMessageLog
from petrock_gen.runtime._worker import (
    CommandWorker,
    Retry,
    RetryPolicy,
    WorkerContext,
    WorkerInfo,
    WorkerStats,
)

__all__ = [
    "App",
    "Clock",
    "Command",
    "CommandRegistry",
    "CommandWorker",
    "DeadLetter",
    "DecodeError",
    "ExecutionError",
    "Executor",
    "MemoryMessageLog",
    "Message",
    "MessageLog",
    "ReplayError",
    "Retry",
    "RetryPolicy",
    "RuntimeFailure",
    "SQLiteMessageLog",
    "SystemClock",
    "ValidationError",
    "WorkerContext",
    "WorkerHalted",
    "WorkerInfo",
    "WorkerStats",
    "open_log",
]

# A library logs, the application decides where records go (logger "petrock_gen.runtime").
logging.getLogger("petrock_gen.runtime").addHandler(logging.NullHandler())

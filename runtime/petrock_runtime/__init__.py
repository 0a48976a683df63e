"""The petrock runtime: commands, the message log, the executor, command workers and the app.

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

from petrock_runtime._app import App
from petrock_runtime._clock import Clock, SystemClock
from petrock_runtime._command import Command, CommandRegistry, ValidationError
from petrock_runtime._errors import (
    DecodeError,
    ExecutionError,
    PetrockError,
    ReplayError,
    RuntimeFailure,
    UserError,
    WorkerHalted,
)
from petrock_runtime._executor import Executor
from petrock_runtime._log import MessageLog, open_log
from petrock_runtime._memory import MemoryMessageLog
from petrock_runtime._message import DeadLetter, Message
from petrock_runtime._sqlite import SQLITE_SIDE_FILES, SQLiteMessageLog, sqlite_side_files
from petrock_runtime._worker import (
    CommandWorker,
    Retry,
    RetryPolicy,
    WorkerContext,
    WorkerInfo,
    WorkerStats,
)

__version__ = "0.2.0.dev0"

__all__ = [
    "SQLITE_SIDE_FILES",
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
    "PetrockError",
    "ReplayError",
    "Retry",
    "RetryPolicy",
    "RuntimeFailure",
    "SQLiteMessageLog",
    "SystemClock",
    "UserError",
    "ValidationError",
    "WorkerContext",
    "WorkerHalted",
    "WorkerInfo",
    "WorkerStats",
    "__version__",
    "open_log",
    "sqlite_side_files",
]

# A library logs, the application decides where records go (logger "petrock_runtime").
logging.getLogger("petrock_runtime").addHandler(logging.NullHandler())

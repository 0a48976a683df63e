"""Runtime errors, named after the stage that failed. All derive from `PetrockError`."""

from __future__ import annotations

from petrock_gen.errors import PetrockError

__all__ = [
    "ClaimLost",
    "DecodeError",
    "ExecutionError",
    "ReplayError",
    "RuntimeFailure",
    "WorkerHalted",
]


class RuntimeFailure(PetrockError):
    """Base of the runtime's errors."""


class DecodeError(RuntimeFailure):
    """A stored message could not be decoded into its command (unknown type or bad data)."""

    def __init__(self, message_id: int, reason: str) -> None:
        super().__init__(f"message {message_id}: {reason}")
        self.message_id = message_id
        self.reason = reason


class ExecutionError(RuntimeFailure):
    """Applying a command to feature state failed; carries the message id when it was appended."""

    def __init__(self, reason: str, message_id: int | None = None) -> None:
        where = f"message {message_id}: " if message_id is not None else ""
        super().__init__(f"{where}{reason}")
        self.message_id = message_id
        self.reason = reason


class ReplayError(RuntimeFailure):
    """A handler tried a side effect (such as `ctx.execute`) while replaying."""


class WorkerHalted(RuntimeFailure):
    """A worker configured to halt on failure stopped at a message it could not handle."""

    def __init__(self, worker: str, message_id: int, reason: str) -> None:
        super().__init__(f"worker {worker!r} halted at message {message_id}: {reason}")
        self.worker = worker
        self.message_id = message_id
        self.reason = reason


class ClaimLost(RuntimeFailure):
    """This process is no longer the active instance of `worker` (another process took it over,
    e.g. while a PostgreSQL connection was lost); the position was not committed. The app puts
    the worker back on standby: it claims again and catches up before going on."""

    def __init__(self, worker: str, reason: str = "") -> None:
        super().__init__(f"worker {worker!r} is no longer claimed by this process: {reason}")
        self.worker = worker

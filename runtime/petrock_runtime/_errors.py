"""The one error base of petrock, and the runtime's errors, named after the stage that failed.

Everything petrock raises on purpose (the runtime here, the `petrock-gen` tool on top of it)
derives from `PetrockError`. `UserError` is for what the user can fix: a one-line message and an
optional hint. Only an entry point (the `petrock` CLI, a generated app's `python -m <pkg>`)
catches these and turns them into a message on stderr and an exit code; exceptions never print.
"""

from __future__ import annotations

__all__ = [
    "ClaimLost",
    "DecodeError",
    "ExecutionError",
    "PetrockError",
    "ReplayError",
    "RuntimeFailure",
    "UserError",
    "WorkerHalted",
]


class PetrockError(Exception):
    """Base of every error petrock raises on purpose."""


class UserError(PetrockError):
    """Something the user can fix: a bad name, a bad database URL, a file that does not parse.

    `message` says what is wrong in one line; `hint` says how to fix it.
    """

    exit_code: int = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message} (hint: {self.hint})"


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

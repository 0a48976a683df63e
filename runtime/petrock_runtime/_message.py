"""Messages as stored in the log, and dead letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from petrock_runtime._command import Command

__all__ = ["DeadLetter", "Message"]


@dataclass(frozen=True, slots=True)
class Message:
    """One entry of the log.

    `id` increases with every append (there may be gaps), `timestamp` is when it was appended (UTC),
    `type` is the command name, `data` the command's JSON bytes and `payload` the decoded command
    (None until decoded, or when it could not be decoded). Handlers get `msg.id` as an idempotency key.
    """

    id: int
    timestamp: datetime
    type: str
    data: bytes
    payload: Command | None = None


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A message a worker gave up on, with the error and how many attempts were made."""

    worker: str
    message_id: int
    type: str
    error: str
    attempts: int
    failed_at: datetime

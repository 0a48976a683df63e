"""The executor: validate, append, apply, serialised."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from petrock_gen.runtime._command import Command
from petrock_gen.runtime._log import MessageLog
from petrock_gen.runtime._message import Message

__all__ = ["Executor"]

C = TypeVar("C", bound=Command)


class Executor:
    """Runs commands: `validate()`, feature checks, append, then apply to feature state.

    The whole sequence holds one lock, so two callers cannot both pass validation on stale state.
    An invalid command raises `ValidationError` and is never appended. A failing apply raises
    `ExecutionError` carrying the message id (the message stays appended; it is never a crash loop).
    After an append, workers in the same process are woken at once.
    """

    def __init__(self, log: MessageLog) -> None:
        raise NotImplementedError

    def on_validate(self, command: type[C], check: Callable[[C], None]) -> None:
        """Add a check against feature state, run (under the lock) before `command` is appended."""
        raise NotImplementedError

    def on_apply(self, command: type[C], apply: Callable[[C, Message], None]) -> None:
        """Add a function that applies an appended `command` to feature state (also on replay)."""
        raise NotImplementedError

    def execute(self, command: Command) -> Message:
        """Validate, append and apply `command`; returns the stored message."""
        raise NotImplementedError

    def replay(self) -> list[Exception]:
        """Rebuild feature state by applying every logged message; returns failures, never raises."""
        raise NotImplementedError

"""The executor: validate, append, apply, serialised."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from petrock_runtime._command import Command
from petrock_runtime._errors import DecodeError, ExecutionError
from petrock_runtime._log import MessageLog
from petrock_runtime._message import Message

__all__ = ["Executor"]

C = TypeVar("C", bound=Command)

_logger = logging.getLogger("petrock_runtime.executor")


class Executor:
    """Runs commands: `validate()`, feature checks, append, then apply to feature state.

    The whole sequence holds one lock, and catch-up, checks and append run inside the log's
    `exclusive()` block (SQLite: its write lock; PostgreSQL: the append advisory lock, in one
    transaction), so two callers, even in different processes or on different machines, cannot
    both pass validation on stale state, and no other process's message is skipped.
    An invalid command raises `ValidationError` and is never appended. A failing apply raises
    `ExecutionError` carrying the message id (the message stays appended; it is never a crash loop).
    After an append, workers in the same process are woken at once.

    Feature state is rebuilt lazily: the first `execute` (or `replay`) applies the whole log, and
    every later `execute` first applies what other processes appended since.
    """

    def __init__(self, log: MessageLog) -> None:
        self._log = log
        self._lock = threading.RLock()
        self._checks: dict[type[Command], list[Callable[[Any], None]]] = {}
        self._appliers: dict[str, list[Callable[[Any, Message], None]]] = {}
        self._classes: dict[str, type[Command]] = {}
        self._listeners: list[Callable[[Message], None]] = []
        self._applied = 0

    @property
    def log(self) -> MessageLog:
        """The log commands are appended to."""
        return self._log

    def on_validate(self, command: type[C], check: Callable[[C], None]) -> None:
        """Add a check against feature state, run (under the lock) before `command` is appended."""
        self._checks.setdefault(command, []).append(check)

    def on_apply(self, command: type[C], apply: Callable[[C, Message], None]) -> None:
        """Add a function that applies an appended `command` to feature state (also on replay)."""
        name = command.command_name()
        self._classes[name] = command
        self._appliers.setdefault(name, []).append(apply)

    def add_listener(self, listener: Callable[[Message], None]) -> None:
        """Call `listener(message)` after every append made through this executor."""
        self._listeners.append(listener)

    def execute(self, command: Command) -> Message:
        """Validate, append and apply `command`; returns the stored message."""
        with self._lock:
            command.validate()
            checks = self._checks.get(type(command), ())
            if checks or self._appliers:
                # across processes too: nobody appends between catch-up, checks and our append
                with self._log.exclusive():
                    self._catch_up()
                    for check in checks:
                        check(command)
                    message = self._log.append(command)
            else:
                message = self._log.append(command)
            failure = self._apply(message, command) if self._appliers else None
            self._applied = max(self._applied, message.id)
        for listener in self._listeners:
            listener(message)
        if failure is not None:
            raise ExecutionError(f"applying {message.type} failed: {failure}", message.id) from (
                failure
            )
        return message

    def replay(self) -> list[Exception]:
        """Rebuild feature state by applying every logged message; returns failures, never raises."""
        with self._lock:
            return self._catch_up()

    def _catch_up(self) -> list[Exception]:
        failures: list[Exception] = []
        if not self._appliers:
            return failures
        while True:
            batch = self._log.read_after(self._applied, 500)
            if not batch:
                return failures
            for message in batch:
                self._applied = message.id
                if message.type not in self._appliers:
                    continue
                failure: Exception | None
                try:
                    command = self._classes[message.type].from_json(message.data)
                except (ValueError, TypeError) as error:
                    failure = DecodeError(message.id, str(error))
                else:
                    applied = self._apply(message, command)
                    failure = None if applied is None else ExecutionError(str(applied), message.id)
                if failure is not None:
                    _logger.error("replaying feature state: %s", failure)
                    failures.append(failure)

    def _apply(self, message: Message, command: Command) -> Exception | None:
        for apply in self._appliers.get(message.type, ()):
            try:
                apply(command, message)
            except Exception as error:
                return error
        return None

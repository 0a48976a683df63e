"""The in-memory backend: for tests and the test kit."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime

from petrock_runtime._command import Command
from petrock_runtime._log import MessageLog
from petrock_runtime._message import DeadLetter, Message
from petrock_runtime._wait import NewMessages

__all__ = ["MemoryMessageLog"]


class MemoryMessageLog(MessageLog):
    """A log kept in memory, thread-safe; gone when the process ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[Message] = []
        self._positions: dict[str, int] = {}
        self._dead: list[DeadLetter] = []
        self._new = NewMessages()

    def append(self, command: Command) -> Message:
        return self.append_many([command])[0]

    def append_many(self, commands: Sequence[Command]) -> list[Message]:
        encoded = [(command, command.command_name(), command.to_json()) for command in commands]
        if not encoded:
            return []
        out: list[Message] = []
        with self._lock:
            now = datetime.now(UTC)
            next_id = self._messages[-1].id + 1 if self._messages else 1
            for offset, (command, name, data) in enumerate(encoded):
                stored = Message(next_id + offset, now, name, data)
                self._messages.append(stored)
                out.append(Message(stored.id, now, name, data, command))
        self._new.seen(out[-1].id)
        return out

    def read_after(self, position: int, limit: int = 500) -> list[Message]:
        with self._lock:
            messages = self._messages
            # ids are 1..n without gaps here, so the index of id `position + 1` is `position`.
            start = max(position, 0)
            return messages[start : start + max(limit, 0)]

    def last_id(self) -> int:
        with self._lock:
            return self._messages[-1].id if self._messages else 0

    def wait_for_new(self, position: int, timeout: float) -> bool:
        if self.last_id() > position:
            return True
        return self._new.wait(position, timeout)

    def wake(self) -> None:
        self._new.wake()

    def load_position(self, worker: str) -> int:
        with self._lock:
            return self._positions.get(worker, 0)

    def commit(self, worker: str, position: int, dead_letters: Sequence[DeadLetter] = ()) -> None:
        with self._lock:
            self._positions[worker] = position
            self._dead.extend(dead_letters)

    def dead_letters(self, worker: str | None = None) -> list[DeadLetter]:
        with self._lock:
            return [d for d in self._dead if worker is None or d.worker == worker]

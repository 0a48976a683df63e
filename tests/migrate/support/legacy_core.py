"""A small fake of the old `core` API, for the golden cases and the equivalence tests.

`LegacyLog.after(position)` gives the messages after a position; a message has `id`, `timestamp`
and `decoded_payload`; commands are the runtime's (`command_name()` as the old API spelled it).
`RecordingExecutor` and `Recorder` are fake services that record every call, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from petrock_runtime import Command

__all__ = ["Command", "LegacyLog", "LegacyMessage", "Limiter", "Recorder", "RecordingExecutor"]


@dataclass(frozen=True)
class LegacyMessage:
    id: int
    timestamp: datetime
    decoded_payload: object


class LegacyLog:
    """The old in-memory log: append commands, read them back after a cursor."""

    def __init__(self) -> None:
        self.messages: list[LegacyMessage] = []

    def append(self, command: object) -> LegacyMessage:
        message = LegacyMessage(len(self.messages) + 1, datetime(2026, 1, 1, tzinfo=UTC), command)
        self.messages.append(message)
        return message

    def after(self, position: int) -> Batch:
        return Batch(m for m in self.messages if m.id > position)

    def next_after(self, position: int) -> LegacyMessage | None:
        later = self.after(position)
        return later[0] if later else None


class Batch(list[LegacyMessage]):
    """A list of messages that `async for` can also walk."""

    async def _walk(self) -> Any:
        for message in list(self):
            yield message

    def __aiter__(self) -> Any:
        return self._walk()


class Done:
    """What a recorded call returns: nothing, but it may be awaited."""

    def __await__(self) -> Any:
        return iter(())


class RecordingExecutor:
    """`execute(cmd)` records the command."""

    def __init__(self) -> None:
        self.calls: list[object] = []

    def execute(self, command: object) -> None:
        self.calls.append(command)


class Recorder:
    """Any method call is recorded as (name, args, kwargs)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)

        def record(*args: Any, **kwargs: Any) -> Done:
            self.calls.append((name, args, kwargs))
            return Done()

        return record


class Limiter:
    """Allows every other call (a stand-in for a rate limiter)."""

    def __init__(self) -> None:
        self.count = 0

    def try_acquire(self) -> bool:
        self.count += 1
        return self.count % 2 == 0

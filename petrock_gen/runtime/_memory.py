"""The in-memory backend: for tests and the test kit."""

from __future__ import annotations

from petrock_gen.runtime._log import MessageLog

__all__ = ["MemoryMessageLog"]


class MemoryMessageLog(MessageLog):
    """A log kept in memory, thread-safe; gone when the process ends."""

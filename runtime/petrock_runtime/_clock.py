"""Time as the runtime sees it: injectable, so retries and backoff are testable without sleeping."""

from __future__ import annotations

import threading
import time
from typing import Protocol

__all__ = ["Clock", "SystemClock"]


class Clock(Protocol):
    """Monotonic time and interruptible sleeps."""

    def monotonic(self) -> float:
        """Seconds on a monotonic scale."""
        ...

    def sleep(self, seconds: float, interrupt: threading.Event) -> bool:
        """Wait `seconds` unless `interrupt` is set first; True when interrupted."""
        ...


class SystemClock:
    """The real clock: `time.monotonic` and `Event.wait`."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float, interrupt: threading.Event) -> bool:
        return interrupt.wait(max(seconds, 0.0))

"""Waiting for new messages: a condition over the highest id known in this process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["NewMessages"]


class NewMessages:
    """Tracks the highest message id seen in this process and wakes waiters when it grows.

    Appends in this process call `seen(id)` and wake waiters at once. When `poll` is given (a
    function returning the log's last id), waiters also poll it every `interval` seconds, so
    appends by other processes are noticed; only one waiter polls per interval.
    """

    def __init__(self, poll: Callable[[], int] | None = None, interval: float = 0.1) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._last = 0
        self._poll = poll
        self._interval = interval
        self._next_poll = 0.0
        self._generation = 0

    def seen(self, last_id: int) -> None:
        """Record that messages up to `last_id` exist and wake every waiter."""
        with self._cond:
            if last_id > self._last:
                self._last = last_id
            self._cond.notify_all()

    def wake(self) -> None:
        """Wake every waiter now (they return False unless new messages exist)."""
        with self._cond:
            self._generation += 1
            self._cond.notify_all()

    def wait(self, position: int, timeout: float) -> bool:
        """Block until an id > `position` is known, a `wake()`, or `timeout` seconds pass."""
        deadline = time.monotonic() + timeout
        with self._cond:
            generation = self._generation
            while True:
                if self._last > position:
                    return True
                now = time.monotonic()
                if self._poll is not None and now >= self._next_poll:
                    self._next_poll = now + self._interval
                    self._last = max(self._last, self._poll())
                    continue
                if now >= deadline or self._generation != generation:
                    return False
                until = deadline if self._poll is None else min(deadline, self._next_poll)
                self._cond.wait(until - now)

"""Serving: one thread per worker, a watcher thread for new messages, signal handling."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING, Any

from petrock_runtime._errors import ClaimLost, RuntimeFailure, WorkerHalted
from petrock_runtime._runner import WorkerRunner

if TYPE_CHECKING:
    from petrock_runtime._app import App

__all__ = ["Server"]

_logger = logging.getLogger("petrock_runtime.app")
_IDLE_WAIT = 5.0
_MAX_LOOP_FAILURES = 5


class Server:
    """Runs the workers of one app in threads until `stopping` is set.

    One watcher thread waits on the log and reads each new message's type once, then wakes only
    the workers that handle that type (or have `on_unknown`): a hundred workers are not all woken
    by every append. Workers not woken still move past other messages within a second (their idle
    wait is short while they lag), so lag stays bounded.
    """

    def __init__(self, app: App, runners: list[WorkerRunner], stopping: threading.Event) -> None:
        self._app = app
        self._runners = runners
        self._stopping = stopping
        self._wake = {runner.name: threading.Event() for runner in runners}
        self._interested: dict[str, list[threading.Event]] = {}
        self._everything: list[threading.Event] = []
        for runner in runners:
            event = self._wake[runner.name]
            if runner.worker.unknown_route is not None:
                self._everything.append(event)
                continue
            for name in runner.worker.routes:
                self._interested.setdefault(name, []).append(event)
        self._known = 0
        self._errors: list[BaseException] = []
        self._errors_lock = threading.Lock()
        self._threads: list[tuple[str, threading.Thread]] = []  # (worker name, its thread)
        self._watcher = threading.Thread(target=self._watch, name="petrock:watcher", daemon=True)
        self._signalled = False
        self._all_started = threading.Event()
        self._reported: set[str] = set()

    def serve(self, *, install_signal_handlers: bool) -> None:
        """Start the threads and block until a signal or `stopping` is set."""
        for runner in self._runners:
            thread = threading.Thread(
                target=self._work, args=(runner,), name=f"petrock:{runner.name}", daemon=True
            )
            self._threads.append((runner.name, thread))
        # Handlers first: a signal that arrives once workers run must stop them gracefully.
        previous = self._install() if install_signal_handlers else {}
        try:
            try:
                self._watcher.start()
                for _, thread in self._threads:
                    thread.start()
            finally:
                self._all_started.set()
            # A signal handler only sets a flag: taking locks inside one could deadlock.
            while not self._signalled and not self._stopping.wait(0.1):
                if self._runners and not any(t.is_alive() for _, t in self._threads):
                    break  # every worker ended (halted or failed): nothing left to serve
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _install(self) -> dict[int, Any]:
        if threading.current_thread() is not threading.main_thread():
            return {}
        previous: dict[int, Any] = {}
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, self._on_signal)
        return previous

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._signalled = True

    def notify(self, types: list[str]) -> None:
        """Wake the workers interested in messages of these types."""
        for name in types:
            for event in self._interested.get(name, ()):
                event.set()
        for event in self._everything:
            event.set()

    def wake_all(self) -> None:
        """Wake every worker (on stop)."""
        for event in self._wake.values():
            event.set()

    def join(self, timeout: float) -> tuple[list[BaseException], set[str]]:
        """Wait for the threads (they commit on their way out): the errors that ended them, and
        the names of workers still running after `timeout` (stuck in a handler, or the worker
        whose handler called this: its thread commits and releases its claim itself)."""
        deadline = _now() + timeout
        self._all_started.wait(timeout)
        stuck = set()
        for name, thread in self._threads:
            if thread.ident is None:
                continue  # not started
            if thread is threading.current_thread():  # stop() called from a handler
                stuck.add(name)
                continue
            thread.join(max(0.0, deadline - _now()))
            if thread.is_alive():
                stuck.add(name)
                with self._errors_lock:  # join() may run in two threads at once
                    if name not in self._reported:
                        self._reported.add(name)
                        message = f"worker {name!r} did not stop within {timeout:g}s"
                        self._errors.append(RuntimeFailure(message))
        # The watcher last: it may sit out one wait for new messages (up to a second), which
        # must not eat the time the workers have to finish and commit.
        if self._watcher.ident is not None:
            self._watcher.join(max(0.0, deadline - _now()))
        return self.errors(), stuck

    def errors(self) -> list[BaseException]:
        """The errors that ended worker threads (and timeouts found by `join`)."""
        with self._errors_lock:
            return list(self._errors)

    def _error(self, error: BaseException) -> None:
        with self._errors_lock:
            self._errors.append(error)

    # -- threads -------------------------------------------------------------------------------
    def _watch(self) -> None:
        log = self._app.log
        failures = 0
        known = -1
        while not self._stopping.is_set():
            try:
                if known < 0:
                    known = self._known = log.last_id()
                    # Appends made after the workers started but before this first read are
                    # never announced below: wake every worker once to look for them.
                    self.wake_all()
                elif log.wait_for_new(known, 1.0):
                    batch = log.read_after(known, 1000)
                    if batch:
                        known = self._known = batch[-1].id
                        self.notify([message.type for message in batch])
                    elif self._stopping.wait(0.01):
                        break
                failures = 0
            except Exception:
                failures += 1
                _logger.exception("watching the log for new messages failed")
                self._stopping.wait(min(30.0, 0.1 * 2**failures))

    def _work(self, runner: WorkerRunner) -> None:
        try:
            while self._claim(runner):
                runner.catch_up()
                if not self._loop(runner):  # False: stopping; True: claim lost, stand by
                    break
        except BaseException as error:
            if not isinstance(error, WorkerHalted):
                _logger.exception("worker %r stopped on an error", runner.name)
            self._error(error)
        finally:
            self._leave(runner)

    def _leave(self, runner: WorkerRunner) -> None:
        """Commit and give up ownership, in the thread that claimed it (advisory locks are
        per connection); the event loop of async handlers is closed here too."""
        try:
            if not runner.halted and runner.claimed:  # after ClaimLost, another instance commits
                runner.commit()
        except Exception as error:
            _logger.exception("worker %r could not commit its position", runner.name)
            self._error(error)
        try:
            if runner.claimed:
                runner.claimed = False
                self._app.log.release(runner.name)
        except Exception as error:
            _logger.exception("worker %r could not release its claim", runner.name)
            self._error(error)
        runner.close()

    def _claim(self, runner: WorkerRunner) -> bool:
        log = self._app.log
        while not self._stopping.is_set():
            if runner.claimed or log.claim(runner.name):
                runner.claimed = True
                runner.stats.standby = False
                return True
            runner.stats.standby = True
            self._app.clock.sleep(self._app.claim_interval, self._stopping)
        return False

    def _loop(self, runner: WorkerRunner) -> bool:
        clock = self._app.clock
        periodic = runner.worker.periodic
        runner.next_periodic = clock.monotonic()
        failures = 0
        wake = self._wake[runner.name]
        while not self._stopping.is_set():
            wake.clear()  # before draining: a wake-up for a message appended during it is kept
            try:
                progress = runner.drain()
                if periodic is not None and clock.monotonic() >= runner.next_periodic:
                    runner.run_periodic()
                failures = 0
            except WorkerHalted:
                raise
            except ClaimLost as error:
                runner.claimed = False
                runner.stats.standby = True
                _logger.warning("%s; standing by", error, extra={"worker": runner.name})
                return True
            except Exception as error:
                failures += 1
                runner.stats.last_error = f"{type(error).__name__}: {error}"
                if failures >= _MAX_LOOP_FAILURES:
                    raise
                _logger.warning("worker %r: %s; retrying", runner.name, runner.stats.last_error)
                clock.sleep(min(30.0, 0.05 * 2**failures), self._stopping)
                continue
            if not progress and not self._stopping.is_set():
                wake.wait(self._idle_timeout(runner))
        return False

    def _idle_timeout(self, runner: WorkerRunner) -> float:
        timeout = _IDLE_WAIT
        if runner.uncommitted() or self._known > runner.position:
            timeout = 1.0
        if runner.worker.periodic is not None:
            timeout = min(timeout, runner.next_periodic - self._app.clock.monotonic())
        return max(0.0, timeout)


def _now() -> float:
    import time

    return time.monotonic()

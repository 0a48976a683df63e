"""The app: one log, one executor, many workers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from petrock_runtime._clock import Clock, SystemClock
from petrock_runtime._command import Command, CommandRegistry
from petrock_runtime._errors import RuntimeFailure
from petrock_runtime._executor import Executor
from petrock_runtime._log import MessageLog, open_log
from petrock_runtime._message import DeadLetter, Message
from petrock_runtime._runner import WorkerRunner
from petrock_runtime._serve import Server
from petrock_runtime._worker import CommandWorker, WorkerInfo

__all__ = ["App"]

_logger = logging.getLogger("petrock_runtime.app")


class App:
    """Registers commands and workers over one message log and runs them.

    `start()` replays each worker up to its saved position (`is_replay=True`, no side effects),
    then `run()` processes the rest live and serves until SIGINT/SIGTERM (or `stop()`).
    `run_until_idle()` processes everything available and runs periodic work once: for tests.
    A slow worker never blocks the others; 100 workers in one process is normal.

    `clock` replaces real time (the test kit passes a fake one, so retry waits take no time);
    `seed` fixes the retry jitter; `claim_interval` is how often a standby worker (one that
    another process owns) tries to claim it again.
    """

    def __init__(
        self,
        log: MessageLog | str = "sqlite:///app.db",
        *,
        name: str = "app",
        clock: Clock | None = None,
        seed: int | None = None,
        claim_interval: float = 3.0,
    ) -> None:
        self.name = name
        self._owns_log = isinstance(log, str)
        self._log = open_log(log) if isinstance(log, str) else log
        self._registry = CommandRegistry()
        self._executor = Executor(self._log)
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._seed = seed
        self.claim_interval = claim_interval
        self._workers: dict[str, CommandWorker[Any]] = {}
        self._runners: dict[str, WorkerRunner] = {}
        self._stopping = threading.Event()
        self._executor.add_listener(self._appended)
        self._lock = threading.RLock()
        self._started = False
        self._server: Server | None = None
        self.replay_failures: list[Exception] = []

    @property
    def log(self) -> MessageLog:
        """The message log."""
        return self._log

    @property
    def executor(self) -> Executor:
        """The executor behind `execute`."""
        return self._executor

    @property
    def registry(self) -> CommandRegistry:
        """Command classes known for decoding."""
        return self._registry

    @property
    def clock(self) -> Clock:
        """The clock retries and periodic work are timed with."""
        return self._clock

    def register_commands(self, *commands: type[Command]) -> None:
        """Register command classes for decoding (workers' `on_command` classes are added too)."""
        self._registry.register(*commands)

    def register_worker(self, worker: CommandWorker[Any]) -> None:
        """Add a worker; names are unique within an app."""
        with self._lock:
            if worker.name in self._workers:
                raise ValueError(f"a worker named {worker.name!r} is already registered")
            if self._server is not None:
                raise RuntimeFailure("cannot add workers while the app is running")
            classes = [route.command for route in worker.routes.values() if route.command]
            self._registry.register(*classes)
            self._workers[worker.name] = worker
            runner = WorkerRunner(
                worker,
                self._log,
                self._registry,
                execute=self.execute,
                clock=self._clock,
                stopping=self._stopping,
                seed=self._seed,
            )
            self._runners[worker.name] = runner
            if self._started:
                runner.catch_up()

    def execute(self, command: Command) -> Message:
        """Shorthand for `app.executor.execute(command)`."""
        return self._executor.execute(command)

    def start(self) -> None:
        """Replay feature state and every worker up to its saved position."""
        with self._lock:
            if self._started:
                return
            self._started = True
            self.replay_failures = self._executor.replay()
            for runner in self._runners.values():
                self._warn_unresolved(runner.worker)
                runner.catch_up()

    def _warn_unresolved(self, worker: CommandWorker[Any]) -> None:
        for name, route in worker.routes.items():
            if route.command is None and self._registry.get(name) is None:
                _logger.warning(
                    "worker %r handles %r but no command class is registered for it; "
                    "its messages will be dead-lettered (app.register_commands(...))",
                    worker.name,
                    name,
                    extra={"worker": worker.name, "command": name, "message_id": None},
                )

    def run(self, *, install_signal_handlers: bool = True, stop_timeout: float = 10.0) -> None:
        """Start if needed and serve until SIGINT/SIGTERM or `stop()`; commits positions on exit.

        Every worker runs in its own thread. On a signal (or `stop()`), workers stop fetching,
        finish the message in hand, commit and exit; `stop_timeout` bounds the wait. Errors that
        ended a worker (a halt, a failing log) are re-raised here."""
        self.start()
        with self._lock:
            if self._server is not None:
                raise RuntimeFailure("the app is already running")
            self._stopping.clear()
            self._server = Server(self, list(self._runners.values()), self._stopping)
            server = self._server
        try:
            server.serve(install_signal_handlers=install_signal_handlers)
        finally:
            self.stop(stop_timeout)
        # stop() came from another thread (it raised there: raise here too) or from a handler
        # (which could not wait for its own thread): wait for the threads and raise.
        errors, _ = server.join(stop_timeout)
        _raise(errors)

    def _appended(self, message: Message) -> None:
        server = self._server
        if server is not None:
            server.notify([message.type])

    def run_until_idle(self, *, max_rounds: int = 1000) -> None:
        """Process every available message in every worker and run periodic work once, repeating
        while handlers append more; in the calling thread. Starts the app if needed."""
        self.start()
        with self._lock:
            if self._server is not None:
                raise RuntimeFailure("run_until_idle() cannot be used while run() is serving")
            self._stopping.clear()
            runners = [r for r in self._runners.values() if self._claim(r)]
            with self._flushing(runners):
                periodic_done = False
                for _ in range(max_rounds):
                    progress = False
                    for runner in runners:
                        progress = runner.drain() or progress
                    if not periodic_done:
                        for runner in runners:
                            runner.run_periodic()
                        periodic_done = True
                    elif not progress:
                        return
                raise RuntimeFailure(f"not idle after {max_rounds} rounds: handlers keep appending")

    def _claim(self, runner: WorkerRunner) -> bool:
        if not runner.claimed:
            runner.claimed = self._log.claim(runner.name)
            runner.stats.standby = not runner.claimed
            if runner.claimed:
                runner.catch_up()
        return runner.claimed and not runner.halted

    @contextmanager
    def _flushing(self, runners: list[WorkerRunner]) -> Iterator[None]:
        try:
            yield
        finally:
            for runner in runners:
                if not runner.halted:
                    runner.commit()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop fetching, finish the message in hand, commit positions, join worker threads.

        Re-raises the error that ended a worker thread, if any (several: a `RuntimeFailure`
        naming them all)."""
        # Read the server before setting `stopping`: once it is set, run() ends and clears it.
        with self._lock:
            server = self._server
        self._stopping.set()
        if server is not None:
            server.wake_all()
        self._log.wake()
        # Joined outside the lock, by every caller: run()'s own stop() and one from another thread
        # or a handler may overlap; each sees (and re-raises) the errors, neither waits on the other.
        errors, stuck = server.join(timeout) if server is not None else ([], set())
        with self._lock:
            if server is not None and self._server is server:
                self._server = None
            for runner in self._runners.values():
                if runner.name in stuck:
                    continue  # still inside a handler: its thread is a daemon, left behind
                if runner.claimed:  # claimed by run_until_idle(); run() threads release their own
                    self._log.release(runner.name)
                    runner.claimed = False
                runner.close()
        _raise(errors)

    def close(self) -> None:
        """Stop, and close the log if the app opened it from a URL."""
        try:
            self.stop()
        finally:
            if self._owns_log:
                self._log.close()

    def __enter__(self) -> App:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def workers(self) -> list[CommandWorker[Any]]:
        """The registered workers, in registration order."""
        return list(self._workers.values())

    def stats(self) -> list[WorkerInfo]:
        """Info and stats of every worker, lag included."""
        last = self._log.last_id()
        out = []
        for runner in self._runners.values():
            runner.stats.position = runner.position
            runner.stats.lag = max(0, last - runner.position)
            out.append(runner.worker.info())
        return out

    def dead_letters(self, worker: str | None = None) -> list[DeadLetter]:
        """Dead letters in the log, oldest first, of one worker or all."""
        return self._log.dead_letters(worker)


def _raise(errors: list[BaseException]) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        summary = "; ".join(str(error) for error in errors)
        raise RuntimeFailure(f"{len(errors)} workers failed: {summary}") from errors[0]

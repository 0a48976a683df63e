"""The app: one log, one executor, many workers."""

from __future__ import annotations

from typing import Any

from petrock_gen.runtime._command import Command, CommandRegistry
from petrock_gen.runtime._executor import Executor
from petrock_gen.runtime._log import MessageLog
from petrock_gen.runtime._message import DeadLetter, Message
from petrock_gen.runtime._worker import CommandWorker, WorkerInfo

__all__ = ["App"]


class App:
    """Registers commands and workers over one message log and runs them.

    `start()` replays each worker up to its saved position (`is_replay=True`, no side effects),
    then `run()` processes the rest live and serves until SIGINT/SIGTERM (or `stop()`).
    `run_until_idle()` processes everything available and runs periodic work once: for tests.
    A slow worker never blocks the others; 100 workers in one process is normal.
    """

    def __init__(self, log: MessageLog | str = "sqlite:///app.db", *, name: str = "app") -> None:
        raise NotImplementedError

    @property
    def log(self) -> MessageLog:
        raise NotImplementedError

    @property
    def executor(self) -> Executor:
        raise NotImplementedError

    @property
    def registry(self) -> CommandRegistry:
        raise NotImplementedError

    def register_commands(self, *commands: type[Command]) -> None:
        """Register command classes for decoding (workers' `on_command` classes are added too)."""
        raise NotImplementedError

    def register_worker(self, worker: CommandWorker[Any]) -> None:
        """Add a worker; names are unique within an app."""
        raise NotImplementedError

    def execute(self, command: Command) -> Message:
        """Shorthand for `app.executor.execute(command)`."""
        raise NotImplementedError

    def start(self) -> None:
        """Replay feature state and every worker up to its saved position."""
        raise NotImplementedError

    def run(self, *, install_signal_handlers: bool = True) -> None:
        """Start if needed and serve until SIGINT/SIGTERM or `stop()`; commits positions on exit."""
        raise NotImplementedError

    def run_until_idle(self, *, max_rounds: int = 1000) -> None:
        """Process every available message in every worker and run periodic work once, repeating
        while handlers append more; in the calling thread. Starts the app if needed."""
        raise NotImplementedError

    def stop(self, timeout: float = 10.0) -> None:
        """Stop fetching, finish the message in hand, commit positions, join worker threads."""
        raise NotImplementedError

    def workers(self) -> list[CommandWorker[Any]]:
        raise NotImplementedError

    def stats(self) -> list[WorkerInfo]:
        """Info and stats of every worker, lag included."""
        raise NotImplementedError

    def dead_letters(self, worker: str | None = None) -> list[DeadLetter]:
        raise NotImplementedError

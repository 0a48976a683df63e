"""Processes the PostgreSQL tests start: writers and app instances over one database.

    python _pgproc.py write URL WRITER COUNT [BATCH]   append COUNT notes, BATCH per append_many
    python _pgproc.py serve URL RECORD_FILE [BATCH]    run the test app until SIGTERM
    python _pgproc.py race URL SEATS                   after a line on stdin, book every seat

race: prints "ready", waits for a line on stdin, books the comma-separated SEATS in order (a
feature check refuses a taken seat), then prints JSON: booked, refused, and the feature state
after catching up (taken: seat -> pid).

A serving process records each delivery in RECORD_FILE, one line per event, written with one
`os.write` on an O_APPEND file so the lines survive a SIGKILL: `start <id> <time>` before the
handler's work and `end <id> <time>` after it, `time` being `time.time()` (one clock: one machine).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from petrock_runtime import (
    App,
    Command,
    CommandWorker,
    Message,
    ValidationError,
    WorkerContext,
)
from petrock_runtime._postgres import PostgresMessageLog

WORKER = "Shared Worker"


@dataclass(frozen=True)
class Note(Command, name="pgtest/note"):
    """A test command: the `seq`-th note of writer `writer`."""

    writer: int
    seq: int


@dataclass(frozen=True)
class Book(Command, name="pgtest/book"):
    """A test command: process `who` books `seat`."""

    seat: str
    who: int


@dataclass
class Seen:
    """Worker state: every message id this instance saw (live or replayed)."""

    ids: list[int] = field(default_factory=list)


def write(url: str, writer: int, count: int, batch: int = 1) -> None:
    """Append `count` notes of `writer`, `batch` at a time."""
    log = PostgresMessageLog(url)
    try:
        for start in range(0, count, batch):
            notes = [Note(writer, seq) for seq in range(start, min(count, start + batch))]
            if len(notes) == 1:
                log.append(notes[0])
            else:
                log.append_many(notes)
    finally:
        log.close()


def build_app(url: str, record_file: str, batch: int) -> App:
    """The test app: one worker recording every live delivery in `record_file`."""
    fd = os.open(record_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def handle(ctx: WorkerContext[Seen], cmd: Note, msg: Message) -> None:
        ctx.state.ids.append(msg.id)
        if ctx.is_replay:
            return
        os.write(fd, f"start {msg.id} {time.time():.6f}\n".encode())
        time.sleep(0.002)  # simulated work, so a SIGKILL can land inside a batch
        os.write(fd, f"end {msg.id} {time.time():.6f}\n".encode())

    worker: CommandWorker[Any] = CommandWorker(
        WORKER, "records deliveries", state=Seen(), batch_size=batch
    )
    worker.on_command(Note, handle)
    app = App(PostgresMessageLog(url, poll_interval=0.2), claim_interval=0.2)
    app.register_worker(worker)
    return app


def serve(url: str, record_file: str, batch: int = 20) -> None:
    """Run the test app until SIGTERM/SIGINT."""
    logging.basicConfig(level=logging.INFO, format=f"[{os.getpid()}] %(name)s: %(message)s")
    app = build_app(url, record_file, batch)
    try:
        app.run()
    finally:
        app.log.close()


def race(url: str, seats: list[str]) -> None:
    """Book every seat unless taken (the feature check), racing other processes."""
    app = App(PostgresMessageLog(url, pool_size=1))
    taken: dict[str, int] = {}

    def check(cmd: Book) -> None:
        if cmd.seat in taken:
            raise ValidationError("seat", f"{cmd.seat} is taken")

    def apply(cmd: Book, msg: Message) -> None:
        taken.setdefault(cmd.seat, cmd.who)

    app.executor.on_validate(Book, check)
    app.executor.on_apply(Book, apply)
    app.start()
    print("ready", flush=True)
    sys.stdin.readline()
    booked, refused = [], []
    for seat in seats:
        try:
            app.execute(Book(seat, os.getpid()))
            booked.append(seat)
        except ValidationError:
            refused.append(seat)
    app.executor.replay()  # what the others booked after our last execute
    print(json.dumps({"booked": booked, "refused": refused, "taken": taken}), flush=True)
    app.close()
    app.log.close()


def main(argv: list[str]) -> int:
    role, url, *rest = argv
    if role == "write":
        write(url, int(rest[0]), int(rest[1]), int(rest[2]) if len(rest) > 2 else 1)
    elif role == "serve":
        serve(url, rest[0], int(rest[1]) if len(rest) > 1 else 20)
    elif role == "race":
        race(url, rest[0].split(","))
    else:
        raise SystemExit(f"unknown role {role!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

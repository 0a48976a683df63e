"""Processes sharing one SQLite file, run by test_processes.py (also imported by it).

    python proc_child.py serve DB EFFECTS     # workers A and B; reports standby on stdout
    python proc_child.py append DB            # appends until stdin closes; prints the last id
    python proc_child.py race DB SEATS        # after a byte on stdin, books every seat

serve: every live handling appends "<pid> <worker> <id>" to EFFECTS; a thread prints
"<worker> standby" the first time a worker finds another process active. race: prints the seats this process
booked and the ones refused, then the feature state after catching up, as JSON.
"""

from __future__ import annotations

import json
import os
import select
import sys
import threading
from dataclasses import dataclass, field

from petrock_runtime import (
    App,
    Command,
    CommandWorker,
    Message,
    SQLiteMessageLog,
    ValidationError,
    WorkerContext,
)


@dataclass(frozen=True)
class Ping(Command, name="proc/ping"):
    n: int


@dataclass(frozen=True)
class Book(Command, name="proc/book"):
    seat: str
    who: int


@dataclass
class Seats:
    taken: dict[str, int] = field(default_factory=dict)


def build_worker(name: str, effects: str) -> CommandWorker[None]:
    def handle(ctx: WorkerContext[None], cmd: Ping, msg: Message) -> None:
        if ctx.is_replay:
            return
        with open(effects, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {name} {msg.id}\n")

    worker: CommandWorker[None] = CommandWorker(name, state=None, batch_size=20)
    worker.on_command(Ping, handle)
    return worker


def report_standby(app: App, stop: threading.Event) -> None:
    reported: set[str] = set()
    while not stop.wait(0.02):
        for info in app.stats():
            if info.stats.standby and info.name not in reported:
                reported.add(info.name)
                print(info.name, "standby", flush=True)


def serve(db: str, effects: str) -> None:
    app = App(SQLiteMessageLog(db, poll_interval=0.02), claim_interval=0.05)
    app.register_worker(build_worker("A", effects))
    app.register_worker(build_worker("B", effects))
    stop = threading.Event()
    threading.Thread(target=report_standby, args=(app, stop), daemon=True).start()
    try:
        app.run(stop_timeout=20.0)
    finally:
        stop.set()


def append(db: str) -> None:
    log = SQLiteMessageLog(db)
    n = 0
    # one message per millisecond until the test closes our stdin
    while not select.select([sys.stdin], [], [], 0.001)[0]:
        n += 1
        log.append(Ping(n))
    print(log.last_id(), flush=True)
    log.close()


def race(db: str, seats: list[str]) -> None:
    app = App(SQLiteMessageLog(db))
    state = Seats()

    def check(cmd: Book) -> None:
        if cmd.seat in state.taken:
            raise ValidationError("seat", f"{cmd.seat} is taken")

    def apply(cmd: Book, msg: Message) -> None:
        state.taken.setdefault(cmd.seat, cmd.who)

    app.executor.on_validate(Book, check)
    app.executor.on_apply(Book, apply)
    app.start()
    print("ready", flush=True)
    sys.stdin.read(1)
    booked, refused = [], []
    for seat in seats:
        try:
            app.execute(Book(seat, os.getpid()))
            booked.append(seat)
        except ValidationError:
            refused.append(seat)
    app.executor.replay()  # what the others booked after our last execute
    print(json.dumps({"booked": booked, "refused": refused, "taken": state.taken}), flush=True)
    app.close()


def main(argv: list[str]) -> int:
    mode, db, *rest = argv
    if mode == "serve":
        serve(db, rest[0])
    elif mode == "append":
        append(db)
    else:
        race(db, rest[0].split(","))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

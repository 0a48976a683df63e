"""A worker app run in a subprocess by the crash and signal tests (also imported by them).

    python crash_child.py DB EFFECTS BLOCK_AT FD MODE

Every live handling appends "<worker> <id>" to EFFECTS. At message BLOCK_AT, worker "A" writes one
byte to file descriptor FD, then either blocks forever (MODE=hang: the test SIGKILLs us) or waits
for the stop signal and finishes the message (MODE=finish: the test sends SIGTERM).
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field

from petrock_runtime import (
    App,
    Command,
    CommandWorker,
    Message,
    SQLiteMessageLog,
    WorkerContext,
)


@dataclass(frozen=True)
class Tally(Command, name="crash/tally"):
    key: str
    amount: int


@dataclass
class TallyState:
    totals: dict[str, int] = field(default_factory=dict)
    last_id: int = 0


def build_worker(name: str, effects: str, block_at: int = 0, fd: int = -1, mode: str = "hang"
                 ) -> CommandWorker[TallyState]:  # fmt: skip
    def handle(ctx: WorkerContext[TallyState], cmd: Tally, msg: Message) -> None:
        ctx.state.totals[cmd.key] = ctx.state.totals.get(cmd.key, 0) + cmd.amount
        ctx.state.last_id = msg.id
        if ctx.is_replay:
            return
        if msg.id == block_at and fd >= 0:
            os.write(fd, b"x")
            if mode == "hang":
                threading.Event().wait()
            ctx.stopping.wait(60)
        with open(effects, "a", encoding="utf-8") as out:
            out.write(f"{name} {msg.id}\n")

    worker = CommandWorker(name, state=TallyState(), batch_size=50)
    worker.on_command(Tally, handle)
    return worker


def main(argv: list[str]) -> int:
    db, effects, block_at, fd, mode = argv
    app = App(SQLiteMessageLog(db))
    app.register_worker(build_worker("A", effects, int(block_at), int(fd), mode))
    app.register_worker(build_worker("B", effects))
    app.run(stop_timeout=20.0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

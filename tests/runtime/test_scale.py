"""100 workers x 50 commands in one app."""

from __future__ import annotations

import threading
import types
from dataclasses import dataclass
from pathlib import Path

from petrock_runtime import (
    App,
    Command,
    CommandWorker,
    Message,
    SQLiteMessageLog,
    WorkerContext,
)

WORKERS, COMMANDS = 100, 50


def command_classes() -> list[type[Command]]:
    """5,000 distinct command classes: 50 dataclasses, then cheap named subclasses of them."""
    bases = []
    for c in range(COMMANDS):
        body = types.new_class(f"C0_{c}", (Command,), {"name": f"f0/c{c}"})
        body.__annotations__ = {"n": int}
        bases.append(dataclass(frozen=True)(body))
    classes = list(bases)
    for w in range(1, WORKERS):
        for c, base in enumerate(bases):
            classes.append(types.new_class(f"C{w}_{c}", (base,), {"name": f"f{w}/c{c}"}))
    return classes


@dataclass
class Seen:
    ids: list[tuple[str, int]]


def build(w: int, classes: list[type[Command]], done: threading.Event | None, expect: int
          ) -> CommandWorker[Seen]:  # fmt: skip
    def handle(ctx: WorkerContext[Seen], cmd: Command, msg: Message) -> None:
        ctx.state.ids.append((msg.type, msg.id))
        if done is not None and len(ctx.state.ids) == expect:
            done.set()

    worker = CommandWorker(f"worker-{w}", state=Seen([]))
    for cls in classes[w * COMMANDS : (w + 1) * COMMANDS]:
        worker.on_command(cls, handle)
    return worker


def test_100_workers_x_50_commands_route_exactly_and_stop_cleanly(tmp_path: Path) -> None:
    classes = command_classes()
    app = App(SQLiteMessageLog(tmp_path / "scale.db"))
    events = [threading.Event() for _ in range(WORKERS)]
    workers = [build(w, classes, events[w], COMMANDS + 1) for w in range(WORKERS)]
    for worker in workers:
        app.register_worker(worker)
    thread = threading.Thread(
        target=app.run, kwargs={"install_signal_handlers": False}, daemon=True
    )
    thread.start()
    # one command per worker singly through the executor, then every command in one batch
    for w in range(WORKERS):
        app.execute(classes[w * COMMANDS](n=1))  # type: ignore[call-arg]
    app.log.append_many([cls(n=2) for cls in classes])  # type: ignore[call-arg]
    for event in events:
        assert event.wait(60)
    app.stop()
    thread.join(60)
    assert not thread.is_alive()
    assert [t.name for t in threading.enumerate() if t.name.startswith("petrock:")] == []
    for w, worker in enumerate(workers):
        names = [f"f{w}/c{c}" for c in range(COMMANDS)]
        assert [t for t, _ in worker.state.ids] == [names[0], *names]
        ids = [i for _, i in worker.state.ids]
        assert ids == sorted(ids)
        assert app.log.load_position(worker.name) >= ids[-1]  # committed on the way out
    app.run_until_idle()  # the rest of the log (other workers' commands) is skipped over
    assert all(len(worker.state.ids) == COMMANDS + 1 for worker in workers)
    total = len(classes) + WORKERS
    assert all(app.log.load_position(worker.name) == total for worker in workers)
    assert all(info.stats.lag == 0 and info.stats.processed == COMMANDS + 1 for info in app.stats())

"""Property tests: interleavings of appends, handler failures and crashes/restarts never lose or
reorder a message for a worker."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from petrock_runtime import (
    App,
    CommandWorker,
    DeadLetter,
    MemoryMessageLog,
    Message,
    MessageLog,
    RetryPolicy,
    SQLiteMessageLog,
    WorkerContext,
)
from petrock_runtime.testing import FakeClock

from .cmds import Charge, Note

MAX_ATTEMPTS = 3
# Hypothesis settings of this module (no global profile): the same examples on every run when
# `CI` is set, new ones elsewhere.
CHECKS = settings(
    derandomize=bool(os.environ.get("CI")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)


class SimulatedCrash(BaseException):
    """Kills the 'process' mid-batch (BaseException: nothing in the runtime catches it)."""


class Crashable:
    """Wraps a log; while `dead`, commits are lost, as when a process is SIGKILLed."""

    def __init__(self, log: MessageLog) -> None:
        self.log = log
        self.dead = False

    def commit(self, worker: str, position: int, dead_letters: Sequence[DeadLetter] = ()) -> None:
        if not self.dead:
            type(self.log).commit(self.log, worker, position, dead_letters)


@dataclass
class World:
    """What the handlers see across restarts: failure plan, attempts, effects, the crash trigger.

    `fail_first[id]` < MAX_ATTEMPTS: the first attempts of message `id` fail (a transient error,
    counted across restarts); >= MAX_ATTEMPTS: every attempt fails (a poison message)."""

    fail_first: dict[int, int]
    attempts: dict[tuple[str, int], int] = field(default_factory=dict)
    effects: dict[str, list[list[int]]] = field(default_factory=dict)  # per incarnation
    crash_at: tuple[str, int] | None = None
    crashable: Crashable | None = None


def build(name: str, handles: tuple[type, ...], world: World) -> CommandWorker[list[int]]:
    def handle(ctx: WorkerContext[list[int]], cmd: object, msg: Message) -> None:
        if ctx.is_replay:
            ctx.state.append(msg.id)
            return
        if world.crash_at == (name, msg.id):
            world.crash_at = None
            assert world.crashable is not None
            world.crashable.dead = True
            raise SimulatedCrash
        key = (name, msg.id)
        world.attempts[key] = world.attempts.get(key, 0) + 1
        planned = world.fail_first.get(msg.id, 0)
        if planned >= MAX_ATTEMPTS or world.attempts[key] <= planned:  # poison fails for good
            raise RuntimeError(f"planned failure {world.attempts[key]} of {msg.id}")
        ctx.state.append(msg.id)
        world.effects[name][-1].append(msg.id)

    policy = RetryPolicy(max_attempts=MAX_ATTEMPTS, initial_delay=0.5, jitter=0.5)
    worker = CommandWorker(name, state=[], retry=policy, batch_size=3)
    for cls in handles:
        worker.on_command(cls, handle)
    return worker


HANDLES = {"charges": (Charge,), "everything": (Charge, Note)}


def boot(log: MessageLog, world: World) -> tuple[App, list[CommandWorker[list[int]]]]:
    crashable = Crashable(log)
    world.crashable = crashable
    log.commit = crashable.commit  # type: ignore[method-assign]
    app = App(log, clock=FakeClock(), seed=3)
    workers = [build(name, handles, world) for name, handles in HANDLES.items()]
    for worker in workers:
        world.effects.setdefault(worker.name, []).append([])
        app.register_worker(worker)
    return app, workers


ops = st.lists(
    st.one_of(
        st.tuples(st.just("append"), st.lists(st.booleans(), min_size=1, max_size=7)),
        st.tuples(st.just("run"), st.just([])),
        st.tuples(st.just("crash"), st.lists(st.integers(0, 6), min_size=2, max_size=2)),
    ),
    max_size=14,
)
plans = st.dictionaries(st.integers(1, 60), st.sampled_from([1, 2, MAX_ATTEMPTS, 9]), max_size=12)


def check(log: MessageLog, ops_list: list[tuple[str, list[object]]], plan: dict[int, int]) -> None:
    world = World(fail_first=plan)
    app, workers = boot(log, world)
    for op, args in ops_list:
        if op == "append":
            log.append_many([Note("n") if is_note else Charge("c", 1) for is_note in args])
            continue
        if op == "crash":
            worker, offset = workers[int(args[0]) % 2], int(args[1])  # type: ignore[call-overload]
            world.crash_at = (worker.name, log.load_position(worker.name) + 1 + offset)
        try:
            app.run_until_idle()
        except SimulatedCrash:
            app, workers = boot(log, world)  # restart: fresh workers, replay, then live
        world.crash_at = None
    app.run_until_idle()

    every = log.read_after(0, 10_000)
    for worker in workers:
        relevant = [m.id for m in every if m.type in worker.registered_commands()]
        dead = [d.message_id for d in log.dead_letters(worker.name)]
        poison = [i for i in relevant if plan.get(i, 0) >= MAX_ATTEMPTS]
        assert dead == poison, "exactly the poison messages are dead-lettered, once each"
        incarnations = world.effects[worker.name]
        handled = {i for run in incarnations for i in run}
        assert handled | set(dead) == set(relevant), "nothing lost"
        assert handled.isdisjoint(dead)
        for run in incarnations:
            assert run == sorted(set(run)), "in order, each once per incarnation"
        assert worker.state == sorted(set(worker.state))
        assert set(relevant) - set(dead) <= set(worker.state) <= set(relevant)
        assert log.load_position(worker.name) == (every[-1].id if every else 0)


@settings(CHECKS, max_examples=150)
@given(ops, plans)
def test_memory_interleavings_never_lose_or_reorder(
    ops_list: list[tuple[str, list[object]]], plan: dict[int, int]
) -> None:
    check(MemoryMessageLog(), ops_list, plan)


@settings(CHECKS, max_examples=25)
@given(ops, plans)
def test_sqlite_interleavings_never_lose_or_reorder(
    ops_list: list[tuple[str, list[object]]], plan: dict[int, int]
) -> None:
    with TemporaryDirectory() as tmp:
        log = SQLiteMessageLog(Path(tmp) / "p.db")
        try:
            check(log, ops_list, plan)
        finally:
            log.close()

"""Several real processes on one SQLite file: worker claims and the executor's lock.

The processes are tests/runtime/proc_child.py; they synchronise with the test through their
stdin/stdout pipes and the effects file, polled with deadlines.
"""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from petrock_runtime import SQLiteMessageLog

CHILD = Path(__file__).with_name("proc_child.py")
TIMEOUT = 60.0
BATCH = 20  # proc_child's worker batch size: what a SIGKILL may leave uncommitted


class Child:
    """A proc_child.py process; its stdout lines arrive through a queue."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.pid = self.proc.pid
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def line(self) -> str:
        try:
            return self.lines.get(timeout=TIMEOUT)
        except queue.Empty:
            exit_code = self.proc.poll()
            raise AssertionError(f"child {self.pid} printed nothing (exit {exit_code})") from None

    def expect(self, wanted: set[str]) -> None:
        missing = set(wanted)
        while missing:
            missing.discard(self.line())

    def send(self, data: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def close_stdin(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()

    def end(self, signum: int) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
        return self.proc.wait(TIMEOUT)


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)  # polling interval, not synchronisation


def effects(path: Path) -> list[tuple[int, str, int]]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        pid, worker, message_id = line.split()
        out.append((int(pid), worker, int(message_id)))
    return out


def handled(path: Path, pid: int, worker: str) -> int:
    return sum(1 for p, w, _ in effects(path) if p == pid and w == worker)


@pytest.fixture
def children() -> list[Child]:
    started: list[Child] = []
    yield started
    for child in started:
        child.end(signal.SIGKILL)


@pytest.mark.slow
def test_one_active_instance_per_worker_and_takeover_after_sigkill(
    tmp_path: Path, children: list[Child]
) -> None:
    db, out = tmp_path / "app.db", tmp_path / "effects.txt"
    SQLiteMessageLog(db).close()
    first = Child("serve", str(db), str(out))
    appender = Child("append", str(db))
    children += [first, appender]
    wait_until(lambda: all(handled(out, first.pid, w) for w in "AB"), "the first instance")
    second = Child("serve", str(db), str(out))
    children.append(second)
    second.expect({"A standby", "B standby"})
    # the standby is up and waiting while the active one keeps handling new messages
    counts = {w: handled(out, first.pid, w) for w in "AB"}
    wait_until(lambda: all(handled(out, first.pid, w) >= counts[w] + 50 for w in "AB"), "more")
    assert first.end(signal.SIGKILL) == -signal.SIGKILL
    wait_until(lambda: all(handled(out, second.pid, w) >= 50 for w in "AB"), "the takeover")
    appender.close_stdin()
    last = int(appender.line())
    assert appender.proc.wait(TIMEOUT) == 0

    def done() -> bool:
        return all(
            {i for _, w, i in effects(out) if w == x} >= set(range(1, last + 1)) for x in "AB"
        )

    wait_until(done, "every message handled")
    assert second.end(signal.SIGTERM) == 0
    for worker in "AB":
        check_handover([(p, i) for p, w, i in effects(out) if w == worker], first, second, last)


def check_handover(lines: list[tuple[int, int]], first: Child, second: Child, last: int) -> None:
    """First's handlings, then second's, never interleaved; every id once, except at most the
    batch first was in when killed, which second handles again."""
    pids = [pid for pid, _ in lines]
    switch = pids.index(second.pid)
    assert set(pids[:switch]) == {first.pid}, "the standby handled messages while not active"
    assert set(pids[switch:]) == {second.pid}, "two instances were active at once"
    before, after = [i for _, i in lines[:switch]], [i for _, i in lines[switch:]]
    assert before == sorted(set(before)) and after == sorted(set(after))
    assert set(before) | set(after) == set(range(1, last + 1))
    again = sorted(set(before) & set(after))
    assert len(again) <= BATCH
    assert again == before[len(before) - len(again) :], "only the last batch is handled again"


@pytest.mark.slow
def test_racing_processes_cannot_both_pass_a_feature_check(
    tmp_path: Path, children: list[Child]
) -> None:
    db = tmp_path / "seats.db"
    SQLiteMessageLog(db).close()
    seats = [f"s{i}" for i in range(40)]
    racers = [Child("race", str(db), ",".join(seats)) for _ in range(3)]
    children += racers
    for racer in racers:
        racer.expect({"ready"})
    for racer in racers:
        racer.send("go")
    results = [json.loads(racer.line()) for racer in racers]
    booked = Counter(seat for result in results for seat in result["booked"])
    assert booked == Counter(seats), "every seat booked exactly once"
    for racer, result in zip(racers, results, strict=True):
        assert sorted(result["booked"] + result["refused"]) == sorted(seats)
        assert racer.proc.wait(TIMEOUT) == 0
    log = SQLiteMessageLog(db)
    stored = [m for m in log.read_after(0, 1000) if m.type == "proc/book"]
    log.close()
    assert len(stored) == len(seats)
    truth = {json.loads(m.data)["seat"]: json.loads(m.data)["who"] for m in stored}
    owners = {
        racer.pid: set(result["booked"]) for racer, result in zip(racers, results, strict=True)
    }
    assert {seat: who for who, mine in owners.items() for seat in mine} == truth
    for result in results:  # every process's feature state saw every other's bookings
        assert result["taken"] == truth

"""Several processes run the same app over one PostgreSQL database while others append.

Every serving process records each live delivery (`start`/`end` lines with times, see
`_pgproc.py`); the test samples the worker's committed position as it goes. We check: every message
handled, never by two instances at once, positions monotonic; after a SIGKILL of the active
process, a standby takes over, nothing is lost and at most the uncommitted batch is re-delivered.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from _pgcluster import Cluster, Server
from _pgproc import WORKER, Note
from petrock_runtime._postgres import PostgresMessageLog

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

HERE = Path(__file__).parent
BATCH = 20


@dataclass
class Record:
    """What one serving process did: (id, start, end) per live delivery; end None if killed."""

    deliveries: list[tuple[int, float, float | None]] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> Record:
        record = cls()
        open_starts: dict[int, float] = {}
        if not path.exists():
            return record
        for line in path.read_text().splitlines():
            kind, msg_id, at = line.split()
            if kind == "start":
                open_starts[int(msg_id)] = float(at)
            else:
                record.deliveries.append((int(msg_id), open_starts.pop(int(msg_id)), float(at)))
        record.deliveries.extend((i, t, None) for i, t in open_starts.items())
        record.deliveries.sort(key=lambda d: d[1])
        return record

    def ids(self) -> list[int]:
        """Ids whose delivery started, in order."""
        return [d[0] for d in self.deliveries]

    def finished(self) -> set[int]:
        """Ids whose handler ran to the end."""
        return {d[0] for d in self.deliveries if d[2] is not None}


class Fleet:
    """Serving processes and writers over one database, plus position sampling."""

    def __init__(self, url: str, tmp: Path) -> None:
        self.url = url
        self.tmp = tmp
        self.servers: dict[int, subprocess.Popen[bytes]] = {}
        self.files: dict[int, Path] = {}
        self.writers: list[subprocess.Popen[bytes]] = []
        self.positions: list[int] = []
        self.conn = psycopg.connect(url, autocommit=True)

    def spawn(self, *args: str) -> subprocess.Popen[bytes]:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        return subprocess.Popen(
            [sys.executable, str(HERE / "_pgproc.py"), *args],
            env=env,
            stderr=(self.tmp / f"stderr-{len(self.servers)}-{len(self.writers)}").open("wb"),
        )

    def serve(self, count: int) -> None:
        for n in range(count):
            path = self.tmp / f"record-{len(self.files) + n}"
            process = self.spawn("serve", self.url, str(path), str(BATCH))
            self.servers[process.pid] = process
            self.files[process.pid] = path

    def write(self, writers: int, per_writer: int) -> None:
        for w in range(writers):
            batch = 1 + w % 3
            self.writers.append(self.spawn("write", self.url, str(w), str(per_writer), str(batch)))

    def query(self, sql: str, *params: object) -> list[tuple[int]]:
        """Run `sql` on the test's own connection, reconnecting after a server restart."""
        deadline = time.monotonic() + 30
        while True:
            try:
                if self.conn.closed:
                    self.conn = psycopg.connect(self.url, autocommit=True)
                return self.conn.execute(sql, params).fetchall()
            except psycopg.OperationalError:
                self.conn.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def sample(self) -> int:
        rows = self.query("SELECT position FROM petrock_positions WHERE worker = %s", WORKER)
        position = rows[0][0] if rows else 0
        self.positions.append(position)
        return position

    def last_id(self) -> int:
        return self.query("SELECT COALESCE(MAX(id), 0) FROM petrock_messages")[0][0]

    def stored(self) -> list[int]:
        return [row[0] for row in self.query("SELECT id FROM petrock_messages ORDER BY id")]

    def wait(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        """Sample positions until `condition()` holds; fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            self.sample()
            if condition():
                return
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout}s waiting for {what}: {self.stderr()}")
            time.sleep(0.02)

    def all_handled(self) -> bool:
        writing = any(w.poll() is None for w in self.writers)
        return not writing and self.last_id() > 0 and self.sample() == self.last_id()

    def records(self) -> dict[int, Record]:
        return {pid: Record.read(path) for pid, path in self.files.items()}

    def stderr(self) -> str:
        tails = [p.read_text(errors="replace")[-800:] for p in sorted(self.tmp.glob("stderr-*"))]
        return " | ".join(t for t in tails if t.strip())

    def stop(self) -> None:
        for process in [*self.servers.values(), *self.writers]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [*self.servers.values(), *self.writers]:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.conn.close()


@pytest.fixture
def fleet(pg_url: str, tmp_path: Path) -> Iterator[Fleet]:
    PostgresMessageLog(pg_url).close()  # create the tables before the processes race to
    fleet = Fleet(pg_url, tmp_path)
    try:
        yield fleet
    finally:
        fleet.stop()


def assert_never_two_at_once(records: dict[int, Record], killed_at: float | None = None) -> None:
    intervals = sorted(
        (start, end if end is not None else killed_at, pid, msg_id)
        for pid, record in records.items()
        for msg_id, start, end in record.deliveries
    )
    for (_, end, pid, msg_id), (start, _, next_pid, next_id) in itertools.pairwise(intervals):
        assert end is not None, f"message {msg_id} of {pid} never ended and {pid} was not killed"
        assert start >= end, f"{pid} handled {msg_id} while {next_pid} started {next_id}"


def assert_monotonic(positions: list[int]) -> None:
    assert positions == sorted(positions), "a committed position went backwards"


@pytest.mark.parametrize("instances", [2, 3])
def test_instances_share_a_worker_one_at_a_time(fleet: Fleet, instances: int) -> None:
    fleet.serve(instances)
    fleet.write(writers=2, per_writer=150)
    fleet.wait(fleet.all_handled, 90, "every message to be handled")
    records = fleet.records()
    handled = sorted(i for record in records.values() for i in record.ids())
    stored = fleet.stored()
    assert len(stored) == 300
    assert handled == stored  # every message handled live, exactly once
    assert sum(1 for record in records.values() if record.deliveries) == 1  # the others stood by
    assert_never_two_at_once(records)
    assert_monotonic(fleet.positions)


def test_a_standby_takes_over_from_a_killed_instance(fleet: Fleet) -> None:
    fleet.write(writers=2, per_writer=200)
    fleet.serve(3)
    records: dict[int, Record] = {}

    def active_is_busy() -> bool:
        nonlocal records
        records = fleet.records()
        return any(len(r.deliveries) >= 3 * BATCH for r in records.values())

    fleet.wait(active_is_busy, 60, "the active instance to handle a few batches")
    victim = next(pid for pid, r in records.items() if r.deliveries)
    # Taken before the kill: the victim dies (and a standby may take over) before wait() returns
    # to this process, which a loaded machine may schedule milliseconds later.
    killed_at = time.time()
    fleet.servers[victim].send_signal(signal.SIGKILL)
    fleet.servers[victim].wait(10)
    fleet.write(writers=1, per_writer=100)  # more appends during the take-over
    fleet.wait(fleet.all_handled, 90, "a standby to handle everything")

    records = fleet.records()
    survivors = {pid: r for pid, r in records.items() if pid != victim and r.deliveries}
    assert len(survivors) == 1, "exactly one standby took over"
    (heir,) = survivors.values()
    taken_over_at = heir.deliveries[0][1]
    assert taken_over_at - killed_at < 15, "the standby took over within seconds"
    committed_by_victim = heir.ids()[0] - 1  # the heir starts right after the saved position
    victim_ids = records[victim].ids()
    redelivered = sorted(set(victim_ids) & set(heir.ids()))
    assert all(i > committed_by_victim for i in redelivered)
    assert len(redelivered) <= BATCH, "at most the uncommitted batch is re-delivered"
    assert sorted(records[victim].finished() | heir.finished()) == fleet.stored()  # none lost
    assert len(heir.ids()) == len(set(heir.ids()))
    print(
        f"victim handled {len(victim_ids)}, committed {committed_by_victim}, redelivered {redelivered}, takeover {taken_over_at - killed_at:.2f}s"
    )
    assert_never_two_at_once(records, killed_at)
    assert_monotonic(fleet.positions)


def test_everything_is_handled_across_a_server_restart(fleet: Fleet, pg_server: Server) -> None:
    if not isinstance(pg_server, Cluster):
        pytest.skip("restarting needs a cluster this test run started")
    fleet.serve(2)
    fleet.write(writers=1, per_writer=300)
    fleet.wait(lambda: fleet.sample() >= 3 * BATCH, 60, "the first batches to be handled")
    pg_server.restart()  # drops every connection of every process
    fleet.wait(fleet.all_handled, 120, "everything to be handled after the restart")

    records = fleet.records()
    stored = fleet.stored()
    notes = [
        Note.from_json(row[0])
        for row in fleet.query("SELECT data FROM petrock_messages ORDER BY id")
    ]  # type: ignore[arg-type]
    assert sorted(n.seq for n in notes) == list(range(300))  # the writer lost and doubled nothing
    finished = set().union(*(record.finished() for record in records.values()))
    assert sorted(finished) == stored  # every message handled
    delivered = [i for record in records.values() for i in record.ids()]
    assert len(delivered) - len(set(delivered)) <= BATCH  # at most one batch re-delivered
    assert_never_two_at_once(records)
    assert_monotonic(fleet.positions)

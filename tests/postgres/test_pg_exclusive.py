"""`PostgresMessageLog.exclusive()`: the executor's catch-up, checks and append as one section
against every process on the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from _pgproc import Note
from petrock_runtime._postgres import PostgresMessageLog

pytestmark = pytest.mark.postgres

HERE = Path(__file__).parent
TIMEOUT = 60.0


@pytest.fixture
def log(pg_url: str) -> Iterator[PostgresMessageLog]:
    opened = PostgresMessageLog(pg_url, pool_size=1, poll_interval=0.2, reconnect_timeout=10)
    yield opened
    opened.close()


def committed_ids(pg_url: str) -> list[int]:
    """The ids another session sees (committed only)."""
    with psycopg.connect(pg_url) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM petrock_messages ORDER BY id")]


def test_exclusive_blocks_other_writers_and_commits_at_the_end(
    log: PostgresMessageLog, pg_url: str
) -> None:
    other = PostgresMessageLog(pg_url)
    other_appended = threading.Event()

    def append_elsewhere() -> None:
        other.append(Note(2, 0))
        other_appended.set()

    try:
        with log.exclusive():
            first = log.append(Note(1, 0))
            with log.exclusive():  # reentrant in the owning thread
                second = log.append(Note(1, 1))
            # the owning thread reads through the transaction (pool_size=1: no second connection)
            assert [m.id for m in log.read_after(0)] == [first.id, second.id]
            thread = threading.Thread(target=append_elsewhere)
            thread.start()
            assert not other_appended.wait(0.3)  # blocked behind the section (bounded wait)
            assert committed_ids(pg_url) == []  # not committed yet
            assert not other.wait_for_new(0, 0.3)  # nor notified
            assert not log.wait_for_new(0, 0.0)  # nor announced here
        thread.join(TIMEOUT)
        assert other_appended.is_set()
        assert other.wait_for_new(second.id - 1, TIMEOUT)  # NOTIFY delivered on commit
        assert log.wait_for_new(0, 0.0)
        assert committed_ids(pg_url) == [first.id, second.id, second.id + 1]
    finally:
        other.close()


def test_exclusive_rolls_back_on_an_error(log: PostgresMessageLog, pg_url: str) -> None:
    with pytest.raises(RuntimeError), log.exclusive():
        log.append(Note(1, 0))
        raise RuntimeError("check failed")
    assert committed_ids(pg_url) == []
    assert log.last_id() == 0
    assert not log.wait_for_new(0, 0.0)
    after = log.append(Note(1, 1))  # the connection went back to the pool in a usable state
    assert committed_ids(pg_url) == [after.id]


def test_other_threads_of_the_process_wait_for_exclusive(pg_url: str) -> None:
    log = PostgresMessageLog(pg_url, pool_size=4)
    entered, appended = threading.Event(), threading.Event()

    def append() -> None:
        entered.wait()
        log.append(Note(2, 0))
        appended.set()

    thread = threading.Thread(target=append)
    thread.start()
    try:
        with log.exclusive():
            entered.set()
            assert not appended.wait(0.3)  # blocked behind the section (bounded wait, not sync)
            first = log.append(Note(1, 0))
        thread.join(TIMEOUT)
        assert [m.id for m in log.read_after(0)] == [first.id, first.id + 1]
    finally:
        log.close()


def test_a_lost_connection_inside_exclusive_appends_nothing(
    log: PostgresMessageLog, pg_url: str
) -> None:
    from petrock_runtime._postgres import PostgresUnavailable

    with pytest.raises(PostgresUnavailable), log.exclusive():
        log.append(Note(1, 0))
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
    assert committed_ids(pg_url) == []
    assert log.append(Note(1, 1)).id >= 1  # reconnects afterwards


def race(pg_url: str, seats: list[str]) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    return subprocess.Popen(
        [sys.executable, str(HERE / "_pgproc.py"), "race", pg_url, ",".join(seats)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_racing_processes_cannot_both_pass_a_feature_check(pg_url: str) -> None:
    PostgresMessageLog(pg_url).close()  # create the tables before the processes race to
    seats = [f"s{i}" for i in range(40)]
    racers = [race(pg_url, seats) for _ in range(3)]
    try:
        for racer in racers:
            assert racer.stdout is not None and racer.stdout.readline() == "ready\n"
        for racer in racers:
            assert racer.stdin is not None
            racer.stdin.write("go\n")
            racer.stdin.flush()
        results = [json.loads(racer.communicate(timeout=TIMEOUT)[0]) for racer in racers]
    finally:
        for racer in racers:
            if racer.poll() is None:
                racer.kill()
                racer.wait()
    assert [racer.returncode for racer in racers] == [0, 0, 0]
    booked = Counter(seat for result in results for seat in result["booked"])
    assert booked == Counter(seats), "every seat booked exactly once"
    for result in results:
        assert sorted(result["booked"] + result["refused"]) == sorted(seats)
    log = PostgresMessageLog(pg_url)
    stored = [m for m in log.read_after(0, 1000) if m.type == "pgtest/book"]
    log.close()
    assert len(stored) == len(seats)  # no duplicates in the log
    truth = {json.loads(m.data)["seat"]: json.loads(m.data)["who"] for m in stored}
    owners = {racer.pid: set(r["booked"]) for racer, r in zip(racers, results, strict=True)}
    assert {seat: who for who, mine in owners.items() for seat in mine} == truth
    for result in results:  # every process's feature state saw every other's bookings
        assert result["taken"] == truth

"""An app with many workers on PostgreSQL, in one process."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
import pytest
from _pgproc import Note
from petrock_runtime import App, CommandWorker, Message, WorkerContext
from petrock_runtime._postgres import PostgresMessageLog

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_a_hundred_workers_share_a_handful_of_connections(pg_url: str) -> None:
    log = PostgresMessageLog(pg_url, pool_size=4)
    app = App(log, claim_interval=0.1)
    handled: dict[str, list[int]] = {}

    def handle(ctx: WorkerContext[Any], cmd: Note, msg: Message) -> None:
        handled.setdefault(ctx.worker_name, []).append(msg.id)

    for i in range(100):
        worker: CommandWorker[Any] = CommandWorker(f"worker {i}", "notes", state=None)
        worker.on_command(Note, handle)
        app.register_worker(worker)
    server = threading.Thread(
        target=app.run, kwargs={"install_signal_handlers": False}, daemon=True
    )
    server.start()
    try:
        for start in range(0, 1000, 100):
            log.append_many([Note(0, seq) for seq in range(start, start + 100)])
        deadline = time.monotonic() + 120
        while sum(map(len, handled.values())) < 100 * 1000:
            assert time.monotonic() < deadline, "not every worker handled every message"
            time.sleep(0.05)
        with psycopg.connect(pg_url) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND application_name LIKE 'petrock%'"
            ).fetchone()
        assert row is not None and row[0] <= 4 + 2  # pool, LISTEN, claims: not one per worker
    finally:
        app.stop()
        server.join(30)
    ids = list(range(1, 1001))
    assert sorted(handled) == sorted(f"worker {i}" for i in range(100))
    assert all(got == ids for got in handled.values())  # each once, in order
    assert {log.load_position(f"worker {i}") for i in range(100)} == {1000}
    log.close()

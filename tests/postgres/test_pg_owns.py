"""Before each batch a runner asks `owns(worker)`: a claim lost with the claims connection is
noticed before the next batch, without a round trip while the connection is quiet."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from _pgproc import Note
from petrock_runtime import App, CommandWorker, Message, WorkerContext
from petrock_runtime._postgres import ClaimLost, PostgresMessageLog
from test_pg_log import poll, terminate_others

pytestmark = pytest.mark.postgres

CLAIMS = "application_name = 'petrock claims'"


@pytest.fixture
def quiet_log(pg_url: str) -> Iterator[PostgresMessageLog]:
    """A log whose keeper never runs during a test: only `owns()` itself can notice a loss."""
    opened = PostgresMessageLog(pg_url, claim_check_interval=3600)
    yield opened
    opened.close()


def claims_query(pg_url: str) -> str:
    """The last statement the claims connection ran (pg_stat_activity)."""
    with psycopg.connect(pg_url) as conn:
        row = conn.execute(f"SELECT query FROM pg_stat_activity WHERE {CLAIMS}").fetchone()
    assert row is not None
    return str(row[0])


def claims_sessions(pg_url: str) -> int:
    """How many claims connections the server still has (a terminated one goes once ended)."""
    with psycopg.connect(pg_url) as conn:
        row = conn.execute(f"SELECT count(*) FROM pg_stat_activity WHERE {CLAIMS}").fetchone()
    return int(row[0]) if row else 0


def take_over(pg_url: str, worker: str) -> PostgresMessageLog:
    """Kill the claims session of the other log and claim `worker` on a new one."""
    assert terminate_others(pg_url, CLAIMS) == 1
    other = PostgresMessageLog(pg_url)
    poll(lambda: other.claim(worker), 10, "the other log to take the claim")
    return other


def test_owns_needs_no_round_trip_while_the_connection_is_quiet(
    quiet_log: PostgresMessageLog, pg_url: str
) -> None:
    assert quiet_log.claim("Billing")
    before = claims_query(pg_url)
    assert all(quiet_log.owns("Billing") for _ in range(1000))
    assert claims_query(pg_url) == before  # the server was not asked
    assert not quiet_log.owns("Unclaimed")


def test_a_claim_taken_over_after_the_session_died_is_not_owned(
    quiet_log: PostgresMessageLog, pg_url: str
) -> None:
    assert quiet_log.claim("Billing") and quiet_log.owns("Billing")
    other = take_over(pg_url, "Billing")
    try:
        assert not quiet_log.owns("Billing")  # at once: no keeper tick needed
        with pytest.raises(ClaimLost):
            quiet_log.commit("Billing", 1)
    finally:
        other.close()


def test_owns_takes_the_claim_back_when_nobody_took_over(
    quiet_log: PostgresMessageLog, pg_url: str
) -> None:
    assert quiet_log.claim("Billing")
    assert terminate_others(pg_url, CLAIMS) == 1
    poll(lambda: claims_sessions(pg_url) == 0, 10, "the claims session to end")
    assert quiet_log.owns("Billing")  # reconnected and locked again
    other = PostgresMessageLog(pg_url)
    try:
        assert not other.claim("Billing")
    finally:
        other.close()


def recording_app(log: PostgresMessageLog, handled: list[int]) -> App:
    def handle(ctx: WorkerContext[None], cmd: Note, msg: Message) -> None:
        if not ctx.is_replay:
            handled.append(msg.id)

    worker: CommandWorker[Any] = CommandWorker("Billing", state=None)
    worker.on_command(Note, handle)
    app = App(log, claim_interval=0.05)
    app.register_worker(worker)
    return app


def test_a_runner_does_not_handle_a_batch_after_losing_its_claim(
    quiet_log: PostgresMessageLog, pg_url: str
) -> None:
    handled: list[int] = []
    app = recording_app(quiet_log, handled)
    first = quiet_log.append(Note(0, 0))
    app.run_until_idle()  # claims Billing and handles the first note
    assert handled == [first.id]
    other = take_over(pg_url, "Billing")
    try:
        other.append(Note(0, 1))
        with pytest.raises(ClaimLost):
            app.run_until_idle()
        assert handled == [first.id]  # the new owner's message was left to the new owner
    finally:
        app.stop()
        other.close()


def test_a_serving_worker_stands_by_instead_of_handling(
    quiet_log: PostgresMessageLog, pg_url: str
) -> None:
    handled: list[int] = []
    app = recording_app(quiet_log, handled)
    first = quiet_log.append(Note(0, 0))
    thread = threading.Thread(target=app.run, kwargs={"install_signal_handlers": False})
    thread.start()
    other: PostgresMessageLog | None = None
    try:
        poll(lambda: handled == [first.id], 10, "the first note to be handled")
        other = take_over(pg_url, "Billing")
        other.append(Note(0, 1))
        poll(lambda: app.stats()[0].stats.standby, 10, "the worker to stand by")
        assert handled == [first.id]
        other.release("Billing")  # the standby takes over again and handles the rest
        poll(lambda: len(handled) == 2, 10, "the second note to be handled")
    finally:
        app.stop()
        thread.join(10)
        if other is not None:
            other.close()

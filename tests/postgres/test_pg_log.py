"""PostgresMessageLog against a real server: ordering, wake-ups, reconnects, claims."""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from _pgcluster import Server
from _pgproc import Note
from petrock_runtime import DeadLetter
from petrock_runtime._postgres import ClaimLost, PostgresMessageLog, PostgresUnavailable

pytestmark = pytest.mark.postgres

HERE = Path(__file__).parent


@pytest.fixture
def log(pg_url: str) -> Iterator[PostgresMessageLog]:
    opened = PostgresMessageLog(pg_url, poll_interval=0.2, reconnect_timeout=20)
    yield opened
    opened.close()


def spawn(*args: str) -> subprocess.Popen[bytes]:
    """Start `_pgproc.py ARGS` with this interpreter and this sys.path."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    return subprocess.Popen([sys.executable, str(HERE / "_pgproc.py"), *args], env=env)


def poll(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Wait until `condition()` holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


def terminate_others(url: str, where: str = "true") -> int:
    """Terminate every other backend of this database matching `where`; how many."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
            f"current_database() AND pid <> pg_backend_pid() AND ({where})"
        ).fetchall()
    return len(rows)


def test_append_and_read_back_in_order(log: PostgresMessageLog) -> None:
    first = log.append(Note(0, 0))
    more = log.append_many([Note(0, seq) for seq in range(1, 6)])
    assert [m.id for m in more] == list(range(first.id + 1, first.id + 6))
    read = log.read_after(0)
    assert [m.id for m in read] == [first.id, *(m.id for m in more)]
    assert [Note.from_json(m.data).seq for m in read] == list(range(6))
    assert all(m.type == "pgtest/note" and m.payload is None for m in read)
    assert read[0].timestamp.tzinfo is not None and read[0].timestamp.utcoffset() == UTC.utcoffset(
        None
    )
    assert log.read_after(first.id + 2, limit=2) == read[3:5]
    assert log.last_id() == more[-1].id
    assert log.append_many([]) == []


def test_two_logs_on_one_database_share_positions_and_dead_letters(
    log: PostgresMessageLog, pg_url: str
) -> None:
    other = PostgresMessageLog(pg_url)
    try:
        message = other.append(Note(1, 1))
        assert log.read_after(0) == [dataclasses.replace(message, payload=None)]
        log.commit("w", message.id)
        assert other.load_position("w") == message.id
        assert other.load_position("never") == 0
    finally:
        other.close()


def test_writers_in_several_processes_are_read_exactly_once_in_order(
    log: PostgresMessageLog, pg_url: str
) -> None:
    writers = [spawn("write", pg_url, str(w), "150", str(1 + w % 3)) for w in range(4)]
    seen: list[int] = []
    position = 0
    while any(p.poll() is None for p in writers) or log.last_id() > position:
        batch = log.read_after(position, limit=37)
        seen.extend(m.id for m in batch)
        position = batch[-1].id if batch else position
        if not batch:
            log.wait_for_new(position, 0.05)
    assert [p.returncode for p in writers] == [0, 0, 0, 0]
    with psycopg.connect(pg_url) as conn:
        stored = [row[0] for row in conn.execute("SELECT id FROM petrock_messages ORDER BY id")]
    assert seen == stored  # every committed id, once, in order: nothing skipped
    assert len(stored) == 600
    notes = [Note.from_json(m.data) for m in log.read_after(0, limit=1000)]
    for writer in range(4):
        assert [n.seq for n in notes if n.writer == writer] == list(range(150))


def test_an_append_waits_for_an_earlier_uncommitted_one(
    log: PostgresMessageLog, pg_url: str
) -> None:
    """A reader must never see id n+1 while id n may still commit: appends are serialised."""
    log.append(Note(0, 0))
    with psycopg.connect(pg_url) as slow:
        slow.execute("SELECT pg_advisory_xact_lock(%s)", (log._append_key,))
        slow.execute("INSERT INTO petrock_messages (type, data) VALUES ('pgtest/note', %s)",
                     (Note(9, 9).to_json(),))  # fmt: skip
        done: list[int] = []
        later = threading.Thread(target=lambda: done.append(log.append(Note(0, 1)).id))
        later.start()
        poll(lambda: _waiting_on_advisory_lock(pg_url), 10, "the second append to wait")
        assert [m.id for m in log.read_after(0)] == [1]
        slow.commit()
    later.join(10)
    assert [m.id for m in log.read_after(0)] == [1, 2, 3] and done == [3]


def _waiting_on_advisory_lock(url: str) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ).fetchone()
    return row is not None and row[0] > 0


def test_wait_for_new_is_woken_by_an_append_in_another_process(
    log: PostgresMessageLog, pg_url: str
) -> None:
    quiet = PostgresMessageLog(pg_url, poll_interval=60)  # a wake-up can only come from NOTIFY
    try:
        assert not quiet.wait_for_new(0, 0.3)
        writer = spawn("write", pg_url, "1", "1")
        assert quiet.wait_for_new(0, 30)
        assert writer.wait(30) == 0
        assert not quiet.wait_for_new(quiet.last_id(), 0.1)
    finally:
        quiet.close()


def test_wait_for_new_still_wakes_after_its_connection_is_killed(
    log: PostgresMessageLog, pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="petrock_runtime.postgres")
    assert not log.wait_for_new(0, 0.1)  # starts the listener
    poll(
        lambda: terminate_others(pg_url, "application_name = 'petrock listen'") == 1,
        10,
        "the LISTEN session",
    )
    writer = spawn("write", pg_url, "1", "1")
    assert log.wait_for_new(0, 30)
    assert writer.wait(30) == 0
    poll(lambda: "listening again" in caplog.text, 10, "the listener to reconnect")
    assert "LISTEN connection" in caplog.text and "lost" in caplog.text


def test_operations_reconnect_after_the_connections_are_killed(
    log: PostgresMessageLog, pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="petrock_runtime.postgres")
    first = log.append(Note(0, 0))
    assert terminate_others(pg_url) >= 1
    second = log.append(Note(0, 1))
    assert [m.id for m in log.read_after(0)] == [first.id, second.id]
    assert "append failed" in caplog.text and "retrying" in caplog.text


def test_an_append_cut_off_before_commit_is_stored_once(
    log: PostgresMessageLog, pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="petrock_runtime.postgres")
    with psycopg.connect(pg_url, autocommit=True) as conn:  # the first insert kills its session
        conn.execute(_KILL_ONCE)
    message = log.append(Note(5, 5))
    assert [(m.id, m.data) for m in log.read_after(0)] == [(message.id, Note(5, 5).to_json())]
    assert "append failed" in caplog.text


_KILL_ONCE = """
CREATE SEQUENCE kills;  -- sequences are not rolled back: the first insert only
CREATE FUNCTION kill_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF nextval('kills') = 1 THEN
        PERFORM pg_terminate_backend(pg_backend_pid());
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER kill_once AFTER INSERT ON petrock_messages FOR EACH ROW EXECUTE FUNCTION kill_once();
"""


def test_claim_is_exclusive_across_connections(log: PostgresMessageLog, pg_url: str) -> None:
    other = PostgresMessageLog(pg_url)
    try:
        assert log.claim("Billing") and log.claim("Billing")
        assert not other.claim("Billing")
        assert other.claim("Shipping")
        log.release("Billing")
        assert other.claim("Billing")
        other.close()  # closing releases every claim
        assert log.claim("Billing") and log.claim("Shipping")
    finally:
        other.close()


def test_a_killed_owner_loses_its_claim(
    log: PostgresMessageLog, pg_url: str, tmp_path: Path
) -> None:
    record = tmp_path / "record"
    owner = spawn("serve", pg_url, str(record))
    try:
        poll(lambda: not log.claim("Shared Worker") or _release(log), 30, "the server to claim")
        owner.kill()
        owner.wait(10)
        poll(lambda: log.claim("Shared Worker"), 30, "the claim to be free after SIGKILL")
    finally:
        owner.kill()


def _release(log: PostgresMessageLog) -> bool:
    log.release("Shared Worker")
    return False


def test_claims_survive_a_lost_connection_when_nobody_took_over(
    log: PostgresMessageLog, pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="petrock_runtime.postgres")
    message = log.append(Note(0, 0))
    assert log.claim("Billing") and log.claim("Idle")
    log.commit("Billing", message.id)
    assert terminate_others(pg_url, "application_name = 'petrock claims'") == 1
    letter = DeadLetter("Billing", message.id, "pgtest/note", "boom", 3, datetime.now(UTC))
    log.commit("Billing", message.id + 1, [letter])  # reconnects, locks again, commits
    assert log.load_position("Billing") == message.id + 1
    assert log.dead_letters("Billing") == [letter]
    other = PostgresMessageLog(pg_url)
    try:  # the idle worker's lock was taken back too (by the keeper or that commit)
        assert not other.claim("Billing") and not other.claim("Idle")
    finally:
        other.close()
    assert "claims connection lost" in caplog.text and "still active here: Billing" in caplog.text


def test_a_claim_taken_over_while_disconnected_is_lost(
    pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="petrock_runtime.postgres")
    log = PostgresMessageLog(pg_url, claim_check_interval=3600)  # no keeper: we race by hand
    other = PostgresMessageLog(pg_url)
    try:
        message = log.append(Note(0, 0))
        assert log.claim("Billing")
        log.commit("Billing", message.id)
        assert terminate_others(pg_url, "application_name = 'petrock claims'") == 1
        poll(lambda: other.claim("Billing"), 10, "the other log to take the claim")
        other.commit("Billing", message.id + 5)
        with pytest.raises(ClaimLost):
            log.commit("Billing", message.id + 1)
        with pytest.raises(ClaimLost):  # until claimed again
            log.commit("Billing", message.id + 1)
        assert log.load_position("Billing") == message.id + 5  # the stale owner committed nothing
        assert "no longer the active instance of 'Billing'" in caplog.text
        assert not log.claim("Billing")
        other.release("Billing")
        assert log.claim("Billing")
        log.commit("Billing", message.id + 6)
    finally:
        other.close()
        log.close()


def test_a_closed_log_refuses_work(pg_url: str) -> None:
    log = PostgresMessageLog(pg_url)
    log.close()
    log.close()  # twice is fine
    with pytest.raises(PostgresUnavailable, match="closed"):
        log.append(Note(0, 0))


def test_opening_an_unreachable_server_fails_at_once_with_the_address() -> None:
    with pytest.raises(PostgresUnavailable, match=r"127\.0\.0\.1:1/nowhere"):
        PostgresMessageLog("postgresql://nobody:secret@127.0.0.1:1/nowhere")


def test_an_outage_longer_than_reconnect_timeout_raises_then_the_log_recovers(
    pg_url: str, pg_server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="petrock_runtime.postgres")
    log = PostgresMessageLog(pg_url, reconnect_timeout=0.5)
    dbname = pg_url.rsplit("/", 1)[1]
    try:
        first = log.append(Note(0, 0))
        with psycopg.connect(pg_server.url(), autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS false')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (dbname,),
            )
            with pytest.raises(PostgresUnavailable, match=r"read_after failed on .* attempts"):
                log.read_after(0)
            admin.execute(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS true')
        assert [m.id for m in log.read_after(0)] == [first.id]
        assert "retrying in" in caplog.text
    finally:
        log.close()


@pytest.fixture
def app_role_url(pg_url: str) -> str:
    """`pg_url` for a role that may read and write the petrock tables but not create any."""
    PostgresMessageLog(pg_url).close()  # the owner creates the tables
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'petrock_app')"
            " THEN CREATE ROLE petrock_app LOGIN; END IF; END $$"
        )
        conn.execute("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO petrock_app")
        conn.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO petrock_app")
    return pg_url.replace("//petrock@", "//petrock_app@", 1)


def test_a_role_without_create_rights_uses_existing_tables(app_role_url: str, pg_url: str) -> None:
    log = PostgresMessageLog(app_role_url)
    try:
        message = log.append(Note(1, 2))
        assert log.claim("Billing")
        log.commit("Billing", message.id)
        assert log.load_position("Billing") == message.id
    finally:
        log.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP TABLE petrock_dead_letters")
    with pytest.raises(PostgresUnavailable, match="cannot create the petrock tables in schema"):
        PostgresMessageLog(app_role_url)


def test_waiters_fall_back_to_polling_while_listen_cannot_reconnect(
    app_role_url: str, pg_url: str, pg_server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="petrock_runtime.postgres")
    dbname = pg_url.rsplit("/", 1)[1]
    log = PostgresMessageLog(app_role_url, pool_size=1, poll_interval=0.1)
    try:
        last = log.last_id()  # the one pooled connection
        assert not log.wait_for_new(last, 0.01)  # starts the listener: a second connection
        poll(lambda: _listening(pg_url), 10, "the listener to connect")
        with psycopg.connect(pg_server.url(), autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{dbname}" CONNECTION LIMIT 1')  # room for the pool only
            try:
                terminate_others(pg_url, "application_name = 'petrock listen'")
                poll(lambda: "polling every" in caplog.text, 10, "the listener to give up")
                writer = spawn("write", pg_url, "1", "1")  # the superuser ignores the limit
                assert log.wait_for_new(last, 30)  # only polling can have noticed it
                assert writer.wait(30) == 0
                assert "listening again" not in caplog.text
            finally:
                admin.execute(f'ALTER DATABASE "{dbname}" CONNECTION LIMIT -1')
        poll(lambda: "listening again" in caplog.text, 10, "the listener to come back")
    finally:
        log.close()


def _listening(url: str) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'petrock listen'"
        ).fetchone()
    return row is not None and row[0] == 1

"""The backend contract suite from the test kit, on PostgreSQL (one fresh database per test)."""

from __future__ import annotations

from pathlib import Path

import pytest
from petrock_runtime import MessageLog
from petrock_runtime._postgres import PostgresMessageLog
from petrock_runtime.testing import MessageLogContract

pytestmark = pytest.mark.postgres


class TestPostgresLog(MessageLogContract):
    exclusive_claims = True
    url = ""

    @pytest.fixture(autouse=True)
    def _database(self, pg_url: str) -> None:
        self.url = pg_url

    def make_log(self, tmp_path: Path) -> MessageLog:
        return PostgresMessageLog(self.url, poll_interval=0.2)

    def open_again(self, log: MessageLog) -> MessageLog | None:
        return PostgresMessageLog(self.url, poll_interval=0.2)


def test_open_log_picks_postgres_from_the_url(pg_url: str) -> None:
    from petrock_runtime import open_log

    for url in (pg_url, pg_url.replace("postgresql://", "postgres://", 1)):
        log = open_log(url)
        try:
            assert isinstance(log, PostgresMessageLog)
            assert log.last_id() == 0
        finally:
            log.close()


def test_executor_catches_up_on_other_processes_before_validating(pg_url: str) -> None:
    from _pgproc import Note
    from petrock_runtime import App, Message, ValidationError

    here, there = App(PostgresMessageLog(pg_url)), App(PostgresMessageLog(pg_url))
    seen: set[tuple[int, int]] = set()

    def check(cmd: Note) -> None:
        if (cmd.writer, cmd.seq) in seen:
            raise ValidationError("seq", "already noted")

    def apply(cmd: Note, msg: Message) -> None:
        seen.add((cmd.writer, cmd.seq))

    here.executor.on_validate(Note, check)
    here.executor.on_apply(Note, apply)
    try:
        here.execute(Note(1, 1))
        there.execute(Note(2, 2))  # another process, same database
        with pytest.raises(ValidationError, match="already noted"):
            here.execute(Note(2, 2))
        assert seen == {(1, 1), (2, 2)} and here.log.last_id() == 2
    finally:
        here.log.close()
        there.log.close()

"""The throwaway cluster itself: a fresh database per test, restartable, on loopback only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from _pgcluster import Server

pytestmark = pytest.mark.postgres


def test_each_test_gets_a_fresh_empty_database(pg_url: str, pg_server: Server) -> None:
    other = pg_server.create_database()
    try:
        assert other != pg_url
        with psycopg.connect(pg_url) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()
            address = conn.execute("SELECT inet_server_addr()::text").fetchone()
        assert tables == (0,)
        assert address is not None and address[0].startswith("127.0.0.1")
    finally:
        pg_server.drop_database(other)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("ci", "outcome"), [("", "1 skipped"), ("true", "1 error")], ids=["skip-locally", "fail-in-ci"]
)
def test_without_a_server_tests_skip_locally_and_fail_in_ci(
    ci: str, outcome: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PETROCK_TEST_POSTGRES_URL")}
    env.update(PETROCK_PG_BINDIR=str(tmp_path), **({"CI": ci} if ci else {}))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q",
         f"{Path(__file__)}::test_each_test_gets_a_fresh_empty_database"],
        env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert outcome in result.stdout, result.stdout
    assert f"PETROCK_PG_BINDIR={tmp_path} holds no initdb and pg_ctl" in result.stdout
    if ci:
        assert "CI is set, so this is an error, not a skip" in result.stdout

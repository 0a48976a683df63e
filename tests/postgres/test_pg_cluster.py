"""The throwaway cluster itself: a fresh database per test, restartable, on loopback only."""

from __future__ import annotations

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

"""Fixtures for the PostgreSQL tests: one throwaway cluster per session, one database per test.

Without a server (no binaries, or it will not start) the tests are skipped with the reason, except
when `CI` is set: there they fail, because CI must run them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _pgcluster import ClusterUnavailable, ExternalServer, Server, start_cluster


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """A PostgreSQL server for this test session (started here, stopped at the end)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[postgres]')")
    server: Server
    if url := os.environ.get("PETROCK_TEST_POSTGRES_URL"):
        server = ExternalServer(url)
    else:
        try:
            server = start_cluster()
        except ClusterUnavailable as exc:
            _unavailable(str(exc))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: Server) -> Iterator[str]:
    """The URL of a fresh, empty database on the session's server."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)


def _unavailable(reason: str) -> None:
    message = f"no PostgreSQL server for the tests: {reason}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(message)

"""Smoke test: the PostgreSQL benchmark runs end to end (small, against the session's server)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from _pgcluster import Server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_postgres.py"


def test_the_benchmark_prints_every_figure(
    pg_server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = importlib.util.spec_from_file_location("bench_postgres_smoke", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up
    spec.loader.exec_module(bench)
    assert bench.main(["--url", pg_server.url(), "--messages", "2000"]) == 0
    out = capsys.readouterr().out
    for figure in ("worker throughput", "p50", "p99", "append, single", "append_many"):
        assert figure in out
    assert "skipped" not in out

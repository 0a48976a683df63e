"""The benchmark script runs end to end (figures are reported by it, never asserted here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_runtime.py"


@pytest.mark.slow
def test_benchmark_script_runs_and_prints_every_figure(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if not BENCH.exists():
        pytest.skip("benchmarks/ is not shipped with this copy of the tests")
    spec = importlib.util.spec_from_file_location("bench_runtime", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_runtime", module)  # dataclasses look it up
    monkeypatch.setenv("COLUMNS", "250")  # one line per figure
    spec.loader.exec_module(module)
    assert module.main(["--messages", "2000", "--samples", "60", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    for figure in (
        "worker throughput",
        "RSS per idle worker",
        "p99",
        "append_many",
        "feature check",
    ):
        assert figure in out

"""PostgreSQL benchmark: worker throughput and cross-process latency, against baselines.

    python benchmarks/bench_postgres.py [--url postgresql://...] [--messages 50000]

Without `--url` (or `PETROCK_BENCH_POSTGRES_URL`) it starts a throwaway cluster with durable
settings (fsync on) through `tests/postgres/_pgcluster.py`, and stops it at the end.

Figures, each with a baseline measured in the same run on the same server:
- worker throughput: one `CommandWorker` in `App.run_until_idle()` over N messages, against a plain
  loop (`SELECT ... WHERE id > %s ORDER BY id LIMIT 500`, `json.loads`, dict dispatch, one position
  commit per batch);
- latency from `append()` in this process to the handler in another process (p50, p99), against
  a raw INSERT + NOTIFY observed by a LISTEN connection;
- append throughput, single and in batches of 100 (baseline: a raw INSERT per transaction).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from petrock_runtime import App, Command, CommandWorker
from petrock_runtime._postgres import PostgresMessageLog

ROOT = Path(__file__).resolve().parent.parent
LATENCY_MESSAGES = 300


@dataclass(frozen=True)
class Row:
    """One line of the result table."""

    figure: str
    value: float
    unit: str
    baseline: float | None
    target: str
    higher_is_better: bool = True

    def ratio(self) -> str:
        if not self.baseline:
            return "-"
        return f"{self.value / self.baseline:.2f}x"


@dataclass(frozen=True)
class Tick(Command, name="bench-postgres/tick"):
    """The message the throughput run handles."""

    n: int
    label: str = "tick"


@dataclass(frozen=True)
class Ping(Command, name="bench-postgres/ping"):
    """The message the latency run sends; `sent` is `time.time()` at append."""

    sent: float


@dataclass
class Counter:
    """Worker state for the throughput run."""

    count: int = 0
    ids: list[int] = field(default_factory=list)


def fill(url: str, count: int) -> None:
    """A fresh log with `count` Tick messages, vacuumed (hint bits set) so that the first reader
    does not pay for that."""
    import psycopg

    log = PostgresMessageLog(url)
    try:
        for start in range(0, count, 1000):
            log.append_many([Tick(n) for n in range(start, min(count, start + 1000))])
    finally:
        log.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE petrock_messages")


def worker_throughput(url: str, count: int, name: str = "Bench") -> float:
    """Messages per second one worker handles live, committing once per batch."""

    def handle(ctx: Any, cmd: Any, msg: Any) -> None:
        ctx.state.count += 1

    worker: CommandWorker[Counter] = CommandWorker(name, "counts", state=Counter())
    worker.on_command(Tick, handle)
    log = PostgresMessageLog(url)
    app = App(log)
    app.register_worker(worker)
    try:
        started = time.perf_counter()
        app.run_until_idle()
        elapsed = time.perf_counter() - started
    finally:
        app.close()
        log.close()
    assert worker.state.count == count, (worker.state.count, count)
    return count / elapsed


def plain_loop_throughput(url: str, count: int, name: str = "plain") -> float:
    """The baseline: read 500 at a time, json.loads, dict dispatch, commit the position per batch."""
    import psycopg

    handled = 0

    def on_tick(payload: dict[str, Any]) -> None:
        nonlocal handled
        handled += 1

    dispatch: dict[str, Callable[[dict[str, Any]], None]] = {Tick.command_name(): on_tick}
    with psycopg.connect(url, autocommit=True) as conn:
        position = 0
        started = time.perf_counter()
        while True:
            rows = conn.execute(
                "SELECT id, type, data FROM petrock_messages WHERE id > %s ORDER BY id LIMIT 500",
                (position,),
            ).fetchall()
            if not rows:
                break
            for msg_id, kind, data in rows:
                dispatch[kind](json.loads(data))
                position = msg_id
            conn.execute(
                "INSERT INTO petrock_positions (worker, position) VALUES (%s, %s) "
                "ON CONFLICT (worker) DO UPDATE SET position = EXCLUDED.position",
                (name, position),
            )
        elapsed = time.perf_counter() - started
    assert handled == count, (handled, count)
    return count / elapsed


def serve_latency(url: str, out: str) -> None:
    """Subprocess: an app whose handler writes `now - cmd.sent` (ms) per Ping to `out`."""

    fd = os.open(out, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def handle(ctx: Any, cmd: Any, msg: Any) -> None:
        if not ctx.is_replay:
            os.write(fd, f"{(time.time() - cmd.sent) * 1000:.3f}\n".encode())

    worker: CommandWorker[None] = CommandWorker("Latency", "measures", state=None)
    worker.on_command(Ping, handle)
    app = App(url, claim_interval=0.1)
    app.register_worker(worker)
    app.run()


def cross_process_latency(url: str, scratch: Path) -> list[float]:
    """Append Pings here (one every 5 ms), handled in another process; latencies in ms."""
    out = scratch / "latency.txt"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    handler = subprocess.Popen(
        [sys.executable, __file__, "--serve-latency", url, str(out)], env=env
    )
    log = PostgresMessageLog(url)
    try:
        log.append(Ping(time.time()))  # warm-up: wait until the handler is up and claimed
        _wait_for(lambda: _lines(out) >= 1, 60, "the handler process to start")
        for _ in range(LATENCY_MESSAGES):
            log.append(Ping(time.time()))
            time.sleep(0.005)  # pacing: one message at a time, not a backlog
        _wait_for(lambda: _lines(out) >= LATENCY_MESSAGES + 1, 60, "every Ping to be handled")
    finally:
        handler.terminate()
        handler.wait(30)
        log.close()
    return [float(line) for line in out.read_text().split()[1:]]


def raw_notify_latency(url: str) -> list[float]:
    """Baseline: INSERT + pg_notify committed on one connection, seen by a LISTEN connection."""
    import psycopg

    received: list[float] = []
    ready = threading.Event()

    def listen() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("LISTEN bench_raw")
            ready.set()
            for note in conn.notifies(stop_after=LATENCY_MESSAGES):
                received.append((time.time() - float(note.payload)) * 1000)

    thread = threading.Thread(target=listen)
    thread.start()
    ready.wait(30)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_raw (id bigserial, data bytea)")
        for _ in range(LATENCY_MESSAGES):
            with conn.transaction():
                conn.execute("INSERT INTO bench_raw (data) VALUES (%s)", (b'{"sent":0}',))
                conn.execute("SELECT pg_notify('bench_raw', %s)", (repr(time.time()),))
            time.sleep(0.005)
    thread.join(60)
    return received


def append_rates(url: str) -> tuple[float, float, float]:
    """Appends per second: single, in batches of 100, and a raw INSERT per transaction."""
    import psycopg

    log = PostgresMessageLog(url)
    try:
        single = _rate(lambda: log.append(Tick(0)), 500)
        batch = [Tick(n) for n in range(100)]
        batched = 100 * _rate(lambda: log.append_many(batch), 30)
    finally:
        log.close()
    with psycopg.connect(url, autocommit=True) as conn:
        data = Tick(0).to_json()

        def insert() -> None:
            conn.execute("INSERT INTO bench_raw (data) VALUES (%s)", (data,))

        raw = _rate(insert, 500)
    return single, batched, raw


def _rate(operation: Callable[[], object], times: int) -> float:
    started = time.perf_counter()
    for _ in range(times):
        operation()
    return times / (time.perf_counter() - started)


def _lines(path: Path) -> int:
    return path.read_text().count("\n") if path.exists() else 0


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.01)


def _percentile(values: list[float], q: int) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0.0
    )


def measure(server: Any, count: int, scratch: Path) -> list[Row]:
    """Every figure, each on a fresh database of `server`."""
    url, latency_url = server.create_database("bench"), server.create_database("bench")
    try:
        fill(url, count)
        plain = runtime = 0.0
        for attempt in range(2):  # alternate, keep the best of each: less noise from the machine
            plain = max(plain, plain_loop_throughput(url, count, f"plain-{attempt}"))
            runtime = max(runtime, worker_throughput(url, count, f"Bench {attempt}"))
        latencies = cross_process_latency(latency_url, scratch)
        raw = raw_notify_latency(latency_url)
        single, batched, raw_insert = append_rates(latency_url)
    finally:
        server.drop_database(url)
        server.drop_database(latency_url)
    p50, p99 = _percentile(latencies, 50), _percentile(latencies, 99)
    raw50, raw99 = _percentile(raw, 50), _percentile(raw, 99)
    return [
        Row("worker throughput (msg/s)", runtime, "msg/s", plain, ">= 0.5x plain loop"),
        Row("append -> handler (other process) p50", p50, "ms", raw50, "-", False),
        Row("append -> handler (other process) p99", p99, "ms", raw99, "< 50 ms", False),
        Row("append, single (msg/s)", single, "msg/s", raw_insert, "-"),
        Row("append_many x100 (msg/s)", batched, "msg/s", raw_insert, "-"),
    ]


def _table(rows: list[Row], where: str) -> Any:
    from rich.table import Table

    table = Table(title=f"PostgreSQL backend ({where})")
    for column in ("figure", "value", "baseline", "ratio", "target"):
        table.add_column(column, justify="left" if column in ("figure", "target") else "right")
    for row in rows:
        fmt = "{:,.0f}" if row.unit == "msg/s" else "{:.2f} ms"
        baseline = fmt.format(row.baseline) if row.baseline is not None else "-"
        table.add_row(row.figure, fmt.format(row.value), baseline, row.ratio(), row.target)
    return table


def _load_cluster_helper() -> ModuleType | None:
    path = ROOT / "tests" / "postgres" / "_pgcluster.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("_pgcluster", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["_pgcluster"] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; prints a table. 0 when it ran (or was skipped for want of a server)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("PETROCK_BENCH_POSTGRES_URL"))
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--serve-latency", nargs=2, metavar=("URL", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_latency:
        serve_latency(*args.serve_latency)
        return 0
    from rich.console import Console

    console = Console()
    helper = _load_cluster_helper()
    if helper is None:
        console.print("bench_postgres: skipped: pass --url (tests/postgres/_pgcluster.py missing)")
        return 0
    try:
        server = helper.ExternalServer(args.url) if args.url else helper.start_cluster(durable=True)
    except helper.ClusterUnavailable as error:
        console.print(f"bench_postgres: skipped: no PostgreSQL server: {error}")
        return 0
    try:
        with tempfile.TemporaryDirectory() as scratch:
            rows = measure(server, args.messages, Path(scratch))
    finally:
        server.stop()
    where = "throwaway cluster, fsync on" if not args.url else "given server"
    console.print(_table(rows, f"{where}, {args.messages:,} messages, {os.cpu_count()} cores"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

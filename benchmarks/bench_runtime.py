"""Runtime benchmarks: worker throughput, idle worker memory, execute->handler latency, appends.

    python benchmarks/bench_runtime.py [--messages 50000] [--samples 2000]

Every figure is printed with a baseline measured in the same run and the target from DESIGN.md:
- throughput of one worker over N SQLite messages vs a plain loop (SELECT ... LIMIT 500,
  json.loads, dict dispatch, one position commit per batch): >= 0.5x and >= 100,000 msg/s;
- RSS per idle worker, 100 workers x 50 commands, serving (`run()`), measured in subprocesses
  against a bare interpreter with the runtime imported and the same app without workers: <= 64 KiB;
- latency from `execute()` to handler start in the same process (SQLite, `run()`): p99 < 5 ms;
- append throughput, single and batched, vs plain sqlite3 inserts with the same commits;
- `execute()` with a feature check and apply (SQLite write lock held across catch-up, check and
  append, so processes cannot race) vs plain sqlite3 doing the same reads and insert per commit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from petrock_runtime import (
    App,
    Command,
    CommandWorker,
    Message,
    SQLiteMessageLog,
    ValidationError,
    WorkerContext,
)
from rich.console import Console
from rich.table import Table


@dataclass(frozen=True)
class Charge(Command, name="bench/charge"):
    invoice_id: str
    amount_cents: int


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    baseline: str
    ratio: str
    target: str


def fill(path: Path, count: int) -> None:
    log = SQLiteMessageLog(path)
    for start in range(0, count, 1000):
        log.append_many([Charge(f"inv-{i}", i + 1) for i in range(start, min(count, start + 1000))])
    log.close()


def plain_loop(path: Path) -> tuple[float, float]:
    """The baseline worker: what a hand-written loop over the same table does.
    (wall seconds, CPU seconds)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")  # what the runtime uses (WAL file)
    state: dict[str, int] = {}

    def charge(payload: dict[str, object], message_id: int) -> None:
        state[str(payload["invoice_id"])] = message_id

    handlers = {"bench/charge": charge}
    started, cpu = time.perf_counter(), time.process_time()
    position = 0
    while True:
        rows = conn.execute(
            "SELECT id, type, data FROM messages WHERE id > ? ORDER BY id LIMIT 500", (position,)
        ).fetchall()
        if not rows:
            break
        conn.execute("BEGIN")
        for message_id, kind, data in rows:
            handlers[kind](json.loads(data), message_id)
            position = message_id
        conn.execute(
            "INSERT INTO positions VALUES ('plain', ?) "
            "ON CONFLICT (worker) DO UPDATE SET position = excluded.position",
            (position,),
        )
        conn.execute("COMMIT")
    elapsed = (time.perf_counter() - started, time.process_time() - cpu)
    conn.close()
    return elapsed


def runtime_worker(path: Path) -> tuple[float, float]:
    """The same work through a CommandWorker (`run_until_idle`, positions per batch), in this
    thread only. (wall seconds, CPU seconds)."""
    state: dict[str, int] = {}

    def charge(ctx: WorkerContext[None], cmd: Charge, msg: Message) -> None:
        state[cmd.invoice_id] = msg.id

    worker = CommandWorker("bench", state=None)
    worker.on_command(Charge, charge)
    log = SQLiteMessageLog(path)
    app = App(log)
    app.register_worker(worker)
    app.start()
    started, cpu = time.perf_counter(), time.process_time()
    app.run_until_idle()
    elapsed = (time.perf_counter() - started, time.process_time() - cpu)
    assert worker.stats.processed == log.last_id()
    log.close()
    return elapsed


def throughput(tmp: Path, count: int, rounds: int = 5) -> list[Row]:
    """Best of `rounds`, interleaved so both loops see the same machine. Reported on CPU time
    (both run single-threaded, so it is what they cost, whatever else the machine runs) and on
    wall-clock time."""
    path = tmp / "throughput.db"
    fill(path, count)
    plain, ours = [], []
    for _ in range(rounds):
        plain.append(plain_loop(path))
        with sqlite3.connect(path) as conn:
            conn.execute("DELETE FROM positions")
        ours.append(runtime_worker(path))
    rows = []
    for index, clock in ((1, "CPU time"), (0, "wall clock")):
        base_rate = count / min(t[index] for t in plain)
        rate = count / min(t[index] for t in ours)
        rows.append(
            Row(
                f"worker throughput, SQLite, {count:,} msgs ({clock})",
                f"{rate:,.0f} msg/s",
                f"{base_rate:,.0f} msg/s",
                f"{rate / base_rate:.2f}x",
                ">= 0.5x and >= 100,000 msg/s",
            )
        )
    return rows


_RSS_SCRIPT = """
import sys, threading
workers, commands, db = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
import petrock_runtime as rt
def rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
if workers < 0:
    print(rss()); sys.exit(0)
import types
from dataclasses import dataclass
classes = []
for c in range(commands):
    body = types.new_class(f"C{c}", (rt.Command,), {"name": f"bench/c{c}"})
    body.__annotations__ = {"n": int}
    classes.append(dataclass(frozen=True)(body))
def handle(ctx, cmd, msg):
    pass
app = rt.App(rt.SQLiteMessageLog(db))
app.register_commands(*classes)
for w in range(workers):
    worker = rt.CommandWorker(f"worker-{w}", state={}, batch_size=500)
    for cls in classes:
        worker.on_command(cls, handle)
    app.register_worker(worker)
thread = threading.Thread(target=app.run, kwargs={"install_signal_handlers": False})
thread.start()
app.execute(classes[0](n=1))
while any(info.stats.position < 1 for info in app.stats()):
    threading.Event().wait(0.01)
threading.Event().wait(0.5)
print(rss())
app.stop()
thread.join()
"""


def rss_kib(workers: int, commands: int, db: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT, str(workers), str(commands), str(db)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return int(done.stdout.strip().splitlines()[-1])


def memory(tmp: Path, workers: int = 100, commands: int = 50, rounds: int = 3) -> list[Row]:
    bare = min(rss_kib(-1, 0, tmp / "bare.db") for _ in range(rounds))
    empty = min(rss_kib(0, commands, tmp / f"empty{i}.db") for i in range(rounds))
    full = min(rss_kib(workers, commands, tmp / f"full{i}.db") for i in range(rounds))
    return [
        Row(
            f"RSS per idle worker ({workers} workers x {commands} commands, serving)",
            f"{(full - empty) / workers:.1f} KiB",
            f"same app, no workers: {empty:,} KiB",
            f"{full:,} KiB total",
            "<= 64 KiB/worker",
        ),
        Row(
            "  the same, all app overhead charged to the workers",
            f"{(full - bare) / workers:.1f} KiB",
            f"bare interpreter + runtime: {bare:,} KiB",
            f"{full:,} KiB total",
            "<= 64 KiB/worker",
        ),
    ]


def latency(tmp: Path, samples: int) -> list[Row]:
    log = SQLiteMessageLog(tmp / "latency.db")
    app = App(log)
    started_at: list[int] = []
    arrived = threading.Event()

    def handle(ctx: WorkerContext[None], cmd: Charge, msg: Message) -> None:
        started_at.append(time.perf_counter_ns())
        arrived.set()

    worker = CommandWorker("latency", state=None)
    worker.on_command(Charge, handle)
    app.register_worker(worker)
    thread = threading.Thread(target=app.run, kwargs={"install_signal_handlers": False})
    thread.start()
    waits: list[float] = []
    for i in range(samples + 50):
        arrived.clear()
        before = time.perf_counter_ns()
        app.execute(Charge(f"inv-{i}", 1))
        if not arrived.wait(30):
            raise RuntimeError("the handler never ran")
        if i >= 50:  # warm-up
            waits.append((started_at[-1] - before) / 1e6)
    app.stop()
    thread.join()
    log.close()
    cuts = statistics.quantiles(waits, n=100)
    return [
        Row("execute() -> handler start, p50", f"{cuts[49]:.3f} ms", "-", "-", "-"),
        Row("execute() -> handler start, p99", f"{cuts[98]:.3f} ms", "-", "-", "p99 < 5 ms"),
    ]


def appends(tmp: Path, single: int = 3000, batches: int = 40, batch: int = 500) -> list[Row]:
    log = SQLiteMessageLog(tmp / "append.db")
    commands = [Charge(f"inv-{i}", i) for i in range(max(single, batch))]
    started = time.perf_counter()
    for command in commands[:single]:
        log.append(command)
    one = single / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(batches):
        log.append_many(commands[:batch])
    many = batches * batch / (time.perf_counter() - started)
    log.close()

    # the plain baseline: same table and commits, json.dumps of a dict, no Message objects
    conn = sqlite3.connect(tmp / "append.db", isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    insert = "INSERT INTO messages (ts, type, data) VALUES (?, ?, ?)"

    def row(c: Charge) -> tuple[float, str, bytes]:
        data = {"invoice_id": c.invoice_id, "amount_cents": c.amount_cents}
        return (time.time(), "bench/charge", json.dumps(data).encode())

    started = time.perf_counter()
    for command in commands[:single]:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(insert, row(command))
        conn.execute("COMMIT")
    plain_one = single / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(batches):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(insert, [row(c) for c in commands[:batch]])
        conn.execute("COMMIT")
    plain_many = batches * batch / (time.perf_counter() - started)
    conn.close()
    return [
        Row(
            "append, single (one commit each)",
            f"{one:,.0f} msg/s",
            f"{plain_one:,.0f} msg/s",
            f"{one / plain_one:.2f}x",
            "-",
        ),
        Row(
            f"append_many, batches of {batch}",
            f"{many:,.0f} msg/s",
            f"{plain_many:,.0f} msg/s",
            f"{many / plain_many:.2f}x",
            "-",
        ),
    ]


def executes(tmp: Path, count: int = 3000, rounds: int = 5) -> list[Row]:
    ours, plain = [], []
    for round_ in range(rounds):
        ours.append(runtime_executes(tmp / f"execute-{round_}.db", count))
        plain.append(plain_executes(tmp / f"execute-{round_}.db", count))
    return [
        Row(
            "execute() with a feature check and apply (one commit each)",
            f"{max(ours):,.0f} cmd/s",
            f"{max(plain):,.0f} cmd/s",
            f"{max(ours) / max(plain):.2f}x",
            "-",
        )
    ]


def runtime_executes(path: Path, count: int) -> float:
    app = App(SQLiteMessageLog(path))
    charged: set[str] = set()

    def check(cmd: Charge) -> None:
        if cmd.invoice_id in charged:
            raise ValidationError("invoice_id", "already charged")

    def apply(cmd: Charge, msg: Message) -> None:
        charged.add(cmd.invoice_id)

    app.executor.on_validate(Charge, check)
    app.executor.on_apply(Charge, apply)
    started = time.perf_counter()
    for i in range(count):
        app.execute(Charge(f"inv-{i}", i))
    elapsed = time.perf_counter() - started
    app.close()
    app.log.close()
    return count / elapsed


def plain_executes(path: Path, count: int) -> float:
    """The plain baseline: per command, one write transaction reading what others appended
    since (none here), a set lookup, the insert, the commit."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    (applied,) = conn.execute("SELECT COALESCE(MAX(id), 0) FROM messages").fetchone()
    charged: set[str] = set()
    started = time.perf_counter()
    for i in range(count):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("SELECT id FROM messages WHERE id > ? ORDER BY id", (applied,)).fetchall()
        invoice = f"plain-{i}"
        if invoice in charged:
            raise ValueError("already charged")
        data = json.dumps({"invoice_id": invoice, "amount_cents": i}).encode()
        cursor = conn.execute(
            "INSERT INTO messages (ts, type, data) VALUES (?, ?, ?)",
            (time.time(), "bench/charge", data),
        )
        conn.execute("COMMIT")
        applied = cursor.lastrowid
        charged.add(invoice)
    elapsed = time.perf_counter() - started
    conn.close()
    return count / elapsed


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, " + (
        f"SQLite {sqlite3.sqlite_version}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark and print the table; returns 0 (figures are reported, not asserted)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5, help="repeats; the best one counts")
    args = parser.parse_args(argv)
    console = Console()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="petrock-bench-") as tmp:
        for step in (
            lambda: throughput(Path(tmp), args.messages, args.rounds),
            lambda: memory(Path(tmp), rounds=args.rounds),
            lambda: latency(Path(tmp), args.samples),
            lambda: appends(Path(tmp)),
            lambda: executes(Path(tmp), rounds=args.rounds),
        ):
            rows.extend(step())
    table = Table(title="petrock_gen runtime benchmarks")
    for column in ("figure", "value", "baseline", "ratio", "target"):
        table.add_column(column)
    for row in rows:
        table.add_row(row.figure, row.value, row.baseline, row.ratio, row.target)
    console.print(table)
    console.print(machine())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

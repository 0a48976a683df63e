"""A runnable demo of the runtime: `python -m petrock_runtime.demo` (or `petrock demo`).

It appends orders to a SQLite log (a fresh file in a temporary directory unless `--db` names one),
runs three workers until idle (billing executes follow-up commands, shipping retries a flaky
carrier, audit sees everything) and prints a table of worker stats. Run it twice with the same
`--db` to see a restart: earlier messages are replayed without side effects, new ones run live.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from petrock_runtime._app import App
from petrock_runtime._command import Command, ValidationError
from petrock_runtime._errors import UserError
from petrock_runtime._message import Message
from petrock_runtime._sqlite import SQLiteMessageLog
from petrock_runtime._worker import CommandWorker, Retry, RetryPolicy, WorkerContext, WorkerInfo

__all__ = ["DemoResult", "main", "run_demo"]


@dataclass(frozen=True)
class PlaceOrder(Command, name="shop/place-order"):
    """A customer orders; `amount` is exact money."""

    order_id: str
    amount: Decimal
    placed_at: datetime
    note: str | None = None

    def validate(self) -> None:
        if self.amount <= 0:
            raise ValidationError("amount", "must be positive")


@dataclass(frozen=True)
class MarkPaid(Command, name="shop/mark-paid"):
    """Billing charged the order."""

    order_id: str


@dataclass
class ShopState:
    """What the demo workers remember (rebuilt by replay on every start)."""

    revenue: Decimal = Decimal(0)
    paid: list[str] = field(default_factory=list)
    shipped: list[str] = field(default_factory=list)
    seen: int = 0
    carrier_calls: int = 0


def charge(ctx: WorkerContext[ShopState], cmd: PlaceOrder, msg: Message) -> None:
    ctx.state.revenue += cmd.amount
    if ctx.is_replay:
        return
    if cmd.note == "card declined":
        raise RuntimeError(f"card declined for {cmd.order_id}")  # retried, then dead-lettered
    ctx.execute(MarkPaid(order_id=cmd.order_id))


def ship(ctx: WorkerContext[ShopState], cmd: MarkPaid, msg: Message) -> None:
    if ctx.is_replay:
        ctx.state.shipped.append(cmd.order_id)
        return
    ctx.state.carrier_calls += 1
    if ctx.state.carrier_calls % 10 == 3:  # the carrier's API is busy now and then
        raise Retry(after=0.001, reason="carrier busy")
    ctx.state.shipped.append(cmd.order_id)


def audit(ctx: WorkerContext[ShopState], msg: Message) -> None:
    ctx.state.seen += 1


def build_workers() -> list[CommandWorker[ShopState]]:
    """Billing, shipping and audit workers with quick retries (this is a demo)."""
    quick = RetryPolicy(max_attempts=3, initial_delay=0.001, max_delay=0.01)
    billing = CommandWorker("billing", "charges orders", state=ShopState(), retry=quick)
    billing.on_command(PlaceOrder, charge)
    shipping = CommandWorker("shipping", "ships paid orders", state=ShopState(), retry=quick)
    shipping.on_command(MarkPaid, ship)
    auditing = CommandWorker("audit", "counts every message", state=ShopState())
    auditing.on_unknown(audit)
    auditing.set_periodic_work(lambda ctx: None, every=60.0)
    return [billing, shipping, auditing]


@dataclass(frozen=True)
class DemoResult:
    """What the demo did: the log file, messages in it, worker stats and dead letters."""

    db: Path
    messages: int
    stats: list[WorkerInfo]
    dead_letters: int


def run_demo(db: Path | None = None, *, orders: int = 100, out: TextIO | None = None) -> DemoResult:
    """Append `orders` orders to the SQLite log `db` (default: a new temporary file), run the
    workers until idle and print their stats; returns what happened."""
    if orders < 1:
        raise ValueError("orders must be at least 1")
    path = db if db is not None else Path(tempfile.mkdtemp(prefix="petrock-demo-")) / "demo.db"
    out = out if out is not None else sys.stdout
    log = SQLiteMessageLog(path)
    with App(log, name="demo") as app:
        app.register_commands(PlaceOrder, MarkPaid)
        for worker in build_workers():
            app.register_worker(worker)
        app.start()  # replays what an earlier run with the same --db already handled
        now = datetime.now(UTC)
        for i in range(orders):
            note = "card declined" if i % 25 == 24 else None
            app.execute(PlaceOrder(f"order-{i}", Decimal("9.99") + i, now, note))
        app.run_until_idle()
        result = DemoResult(path, app.log.last_id(), app.stats(), len(app.dead_letters()))
    log.close()
    print(stats_table(result), file=out)
    print(
        f"log: {result.db}  messages: {result.messages}  dead letters: {result.dead_letters}",
        file=out,
    )
    return result


def stats_table(result: DemoResult) -> str:
    """A plain-text table with one row per worker (standard library only)."""
    header = ("worker", "live", "replayed", "retried", "dead", "position", "lag", "last error")
    rows = [header] + [
        (
            info.name,
            str(info.stats.processed),
            str(info.stats.replayed),
            str(info.stats.retried),
            str(info.stats.dead_lettered),
            str(info.stats.position),
            str(info.stats.lag),
            _shorten(info.stats.last_error or "", 30),
        )
        for info in result.stats
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["petrock runtime demo: worker stats", ""]
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:-1], strict=True)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    """`python -m petrock_runtime.demo [--db PATH] [--orders N]`."""
    parser = argparse.ArgumentParser(prog="python -m petrock_runtime.demo")
    parser.add_argument("--db", type=Path, help="SQLite file (default: a new temporary file)")
    parser.add_argument("--orders", type=int, default=100, help="orders to place (default 100)")
    args = parser.parse_args(argv)
    if args.orders < 1:
        parser.error("--orders must be at least 1")
    try:
        run_demo(args.db, orders=args.orders)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

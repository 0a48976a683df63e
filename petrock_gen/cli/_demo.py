"""`petrock demo`: run the runtime demo (owned by the runtime)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def demo(
    db: Annotated[
        Path | None,
        typer.Option("--db", help="SQLite file for the log (default: a new temporary file)."),
    ] = None,
    orders: Annotated[int, typer.Option("--orders", min=1, help="Orders to place.")] = 100,
) -> None:
    """Append orders to a SQLite log, run three workers until idle, print their stats."""
    from petrock_runtime.demo import run_demo

    run_demo(db, orders=orders)


def register(app: typer.Typer) -> None:
    """Add the demo command to `app`."""
    app.command("demo")(demo)

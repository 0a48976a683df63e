"""`petrock migrate-worker` (owned by the migrator)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the migrate-worker command to `app`."""

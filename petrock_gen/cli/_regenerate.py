"""`petrock regenerate` and `petrock inspect` (owned by the regeneration work)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the regenerate and inspect commands to `app`."""

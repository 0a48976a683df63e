"""`petrock mcp`: serve petrock's tools to coding agents over stdio (the `mcp` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the mcp command to `app`."""
    app.command("mcp")(mcp_command)


def mcp_command(
    path: Annotated[Path, typer.Option("--path", help="The project folder.")] = Path("."),
) -> None:
    """Serve petrock as an MCP server on stdio: inspect, command schemas, plans, and the writing
    tools new feature/command/worker, regenerate and migrate-worker (needs petrock-gen[mcp])."""
    from petrock_gen.agent import serve

    serve(path.resolve())

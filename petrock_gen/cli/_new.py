"""`petrock new ...`: scaffold projects, features, commands and workers (owned by the generator)."""

from __future__ import annotations

import typer

from petrock_gen.errors import UserError

app = typer.Typer(help="Create a project, a feature, a command or a worker.", no_args_is_help=True)


@app.command("project")
def new_project(name: str) -> None:
    """Scaffold a new project (not built yet)."""
    raise UserError("petrock new project is not built yet")

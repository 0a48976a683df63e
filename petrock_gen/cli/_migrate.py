"""`petrock migrate-worker` (owned by the migrator): a thin command over `migrate_paths`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]

# Spelled out so that `--help` does not import libcst; a test keeps it equal to PATTERNS.
PATTERN_IDS = "for_loop, while_loop, isinstance_chain, if_chain, match_dispatch, dict_table"


def register(app: typer.Typer) -> None:
    """Add the migrate-worker command to `app`."""
    app.command("migrate-worker")(migrate_worker)


def migrate_worker(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or directories (walked, .gitignore respected).")
    ],
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff; write nothing.")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if a file would change.")
    ] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Files migrated in parallel.")] = 1,
    json_: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON on stdout.")
    ] = False,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help=f"Use only this pattern (repeatable): {PATTERN_IDS}."),
    ] = None,
    skip: Annotated[
        list[str] | None, typer.Option("--skip", help="Do not use this pattern (repeatable).")
    ] = None,
) -> None:
    """Rewrite old-style worker classes (a `work()` loop over the log) into handler registrations.

    Exits 0 when done, 1 when something needs a human or --check found a change, 2 on usage errors.
    """
    from petrock_gen.migrate import Options, migrate_paths

    options = Options(
        diff=diff,
        check=check,
        jobs=jobs,
        json=json_,
        only=tuple(only or ()),
        skip=tuple(skip or ()),
    )
    report = migrate_paths(paths, options)
    raise typer.Exit(report.exit_code())

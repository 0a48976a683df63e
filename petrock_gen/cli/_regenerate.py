"""`petrock regenerate` and `petrock inspect` (owned by the regeneration work)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from petrock_gen.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from petrock_gen.regenerate import Mode, RegenerateReport

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the regenerate and inspect commands to `app`."""
    app.command("regenerate")(regenerate_command)
    app.command("inspect")(inspect_command)


def regenerate_command(
    features: Annotated[
        list[str] | None,
        typer.Argument(metavar="FEATURE", help="Features to regenerate (default: all)."),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 when something is out of date.")
    ] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Write nothing; print the diff.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write nothing; print the plan, a status per file.")
    ] = False,
    path: Annotated[Path, typer.Option("--path", help="The project folder.")] = Path("."),
) -> None:
    """Bring features' files up to date with their specs and the templates, keeping your edits.

    Files you never edited are replaced, edited ones are merged three ways (conflicts get
    git-style markers and exit 1), new handler stubs are added to your handlers module, and
    features whose spec and templates did not change are skipped.
    """
    from rich.console import Console

    from petrock_gen.regenerate import regenerate

    if sum((check, diff, dry_run)) > 1:
        raise UsageError("choose one of --check, --diff and --dry-run")
    mode: Mode = "check" if check else "diff" if diff else "dry-run" if dry_run else "apply"
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    with _ProgressBar(err) as progress:
        report = regenerate(path, features or (), mode=mode, progress=progress)
    _print_report(report, err)
    raise typer.Exit(report.exit_code)


def _print_report(report: RegenerateReport, err: Console) -> None:
    if report.mode == "diff":
        typer.echo(report.plan.diff(), nl=False)
    elif report.mode == "dry-run":
        err.print(report.plan.to_table())
    elif report.plan.actions:
        shown = [a for a in report.plan.actions if a.content is not None or a.detail]
        if shown and report.mode == "apply":
            from dataclasses import replace

            err.print(replace(report.plan, actions=shown).to_table())
    if len(report.features) > 1 or report.out_of_date:
        err.print(report.summary_table())
    err.print(report.summary_line())
    if report.has_conflicts:
        err.print(
            "[bold red]conflicts:[/] resolve the <<<<<<< markers in the files listed above "
            "(or fix what they name), then run `petrock regenerate` again"
        )
    elif report.mode == "check" and report.out_of_date:
        err.print("out of date: run `petrock regenerate` to bring it up to date")


class _ProgressBar:
    """A rich progress bar over the features being rendered (shown on a terminal only)."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def start(self, total: int) -> None:
        from rich.progress import Progress

        if total < 2 or not self._console.is_terminal:
            return
        self._progress = Progress(console=self._console, transient=True)
        self._task = self._progress.add_task("rendering features", total=total)
        self._progress.start()

    def advance(self, feature: str) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=1, description=feature)


def inspect_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for tools.")] = False,
    schema: Annotated[
        bool, typer.Option("--schema", help="Print the JSON Schema of every command (JSON).")
    ] = False,
    path: Annotated[Path, typer.Option("--path", help="The project folder.")] = Path("."),
) -> None:
    """Show every feature: its workers, the commands each handles, their fields, periodic work,
    and whether the feature's files are up to date. --schema prints `{command name: JSON
    Schema}` of the commands' JSON form instead."""
    import json

    from rich.console import Console

    from petrock_gen.regenerate import command_schemas, inspect

    if schema:
        typer.echo(json.dumps(command_schemas(path), indent=2))
        return

    info = inspect(path)
    if as_json:
        typer.echo(info.to_json(), nl=False)
        return
    out = Console(highlight=False, soft_wrap=True)
    out.print(info.to_table())
    stale = [f.name for f in info.features if not f.up_to_date]
    if stale:
        out.print(f"out of date: {', '.join(stale)} (run `petrock regenerate`)")

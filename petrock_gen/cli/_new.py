"""`petrock new project|feature|command|worker` (owned by the generator).

Each command parses its arguments, calls one function of `petrock_gen.generate`, prints the file
plan (a status word per file) and maps the result to an exit code. The generator is imported
inside the commands so `petrock --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from petrock_gen.generate import Options, Outcome, ProjectOutcome

__all__ = ["app"]

SPEC_HELP = (
    "SPEC is COMMAND[:FIELD,FIELD,...] and FIELD is NAME=TYPE[?][=DEFAULT] (NAME:TYPE works "
    "too). TYPE is str, int, float, bool, Decimal, datetime, date, UUID or list[TYPE]; a "
    "trailing ? makes the field optional (T | None, default None); DEFAULT is a literal: 0, 2.5, "
    "true, 1.50, text, [] or None.\n\n"
    "Examples:\n\n"
    "petrock new feature billing --command charge:invoice_id=str,amount_cents=int\n\n"
    "petrock new feature billing --command 'charge:note=str?,tags=list[str]=[],retry=bool=false'"
    "\n\n"
    "petrock new feature catalog --command add-item:sku=str,price=Decimal --worker indexer\n\n"
    "petrock new feature audit --no-periodic --command record\n\n"
    "petrock new command billing/refund invoice_id:str reason:str=duplicate"
).replace("[", "\\[")

app = typer.Typer(
    help="Create a project, a feature, a command or a worker.",
    no_args_is_help=True,
)

DryRun = Annotated[bool, typer.Option("--dry-run", help="Print the plan; write nothing.")]
AllowDirty = Annotated[
    bool, typer.Option("--allow-dirty", help="Run even if the git tree has uncommitted changes.")
]
Commit = Annotated[bool, typer.Option("--commit", help="Commit the written files with git.")]
AsJson = Annotated[
    bool, typer.Option("--json", help="Print the outcome and the plan as JSON on stdout.")
]
Description = Annotated[str, typer.Option("--description", help="One line describing it.")]
NoPeriodic = Annotated[
    bool, typer.Option("--no-periodic", help="No periodic work (no periodic.py function).")
]


@app.command("project")
def new_project(
    name: Annotated[str, typer.Argument(help="Project name; also the folder, e.g. shop.")],
    path: Annotated[
        Path | None, typer.Option("--path", help="Create the project inside DIR (default: here).")
    ] = None,
    package: Annotated[
        str | None, typer.Option("--package", help="Import package (default: from NAME).")
    ] = None,
    description: Description = "",
    no_git: Annotated[
        bool, typer.Option("--no-git", help="Skip git init and first commit.")
    ] = False,
    defaults: Annotated[
        bool, typer.Option("--defaults", help="Ask no questions even on a terminal.")
    ] = False,
    dry_run: DryRun = False,
) -> None:
    """Scaffold a project that runs and tests green at once (rendered by copier).

    Example: petrock new project shop && cd shop && pytest
    """
    from petrock_gen.generate import new_project as run

    interactive = not defaults and sys.stdin.isatty() and sys.stdout.isatty()
    outcome = run(
        name,
        path=path,
        package=package,
        description=description,
        git=not no_git,
        interactive=interactive,
        dry_run=dry_run,
    )
    _print_project(outcome)


@app.command("feature", epilog=SPEC_HELP)
def new_feature(
    name: Annotated[str, typer.Argument(help="Feature name, e.g. billing.")],
    command: Annotated[
        list[str] | None,
        typer.Option("--command", "-c", metavar="SPEC", help="A command (repeat)."),
    ] = None,
    worker: Annotated[
        list[str] | None,
        typer.Option("--worker", "-w", metavar="NAME", help="An extra worker (repeat)."),
    ] = None,
    no_periodic: NoPeriodic = False,
    description: Description = "",
    dry_run: DryRun = False,
    allow_dirty: AllowDirty = False,
    commit: Commit = False,
    as_json: AsJson = False,
) -> None:
    """Add a feature: spec, typed commands, workers, handler stubs, state, periodic work, tests.

    Every worker handles every command; the first worker is named after the feature.
    """
    from petrock_gen.generate import new_feature as run

    outcome = run(
        Path.cwd(),
        name,
        command or [],
        worker or [],
        periodic=not no_periodic,
        description=description,
        options=_options(dry_run, allow_dirty, commit),
    )
    _print_outcome(outcome, as_json)


@app.command("command", epilog=SPEC_HELP)
def new_command(
    target: Annotated[str, typer.Argument(metavar="FEATURE/NAME", help="e.g. billing/refund.")],
    fields: Annotated[
        list[str] | None,
        typer.Argument(metavar="[FIELD:TYPE]...", help="Fields, e.g. invoice_id:str note:str?"),
    ] = None,
    worker: Annotated[
        list[str] | None,
        typer.Option("--worker", "-w", metavar="NAME", help="Worker to handle it (repeat)."),
    ] = None,
    description: Description = "",
    dry_run: DryRun = False,
    allow_dirty: AllowDirty = False,
    commit: Commit = False,
    as_json: AsJson = False,
) -> None:
    """Add a command to a feature; the feature's main worker handles it unless --worker is given.

    Example: petrock new command billing/refund invoice_id:str amount_cents:int reason:str?
    """
    from petrock_gen.generate import new_command as run

    outcome = run(
        Path.cwd(),
        target,
        fields or [],
        worker or [],
        description=description,
        options=_options(dry_run, allow_dirty, commit),
    )
    _print_outcome(outcome, as_json)


@app.command("worker")
def new_worker(
    target: Annotated[str, typer.Argument(metavar="FEATURE/NAME", help="e.g. billing/notifier.")],
    handles: Annotated[
        list[str] | None,
        typer.Option("--handles", metavar="COMMAND", help="A command it handles (default: all)."),
    ] = None,
    no_periodic: NoPeriodic = False,
    description: Description = "",
    dry_run: DryRun = False,
    allow_dirty: AllowDirty = False,
    commit: Commit = False,
    as_json: AsJson = False,
) -> None:
    """Add a worker to a feature, with its state, handler stubs, periodic work and a test.

    Example: petrock new worker billing/notifier --handles charge
    """
    from petrock_gen.generate import new_worker as run

    outcome = run(
        Path.cwd(),
        target,
        handles or [],
        periodic=not no_periodic,
        description=description,
        options=_options(dry_run, allow_dirty, commit),
    )
    _print_outcome(outcome, as_json)


def _options(dry_run: bool, allow_dirty: bool, commit: bool) -> Options:
    from petrock_gen.generate import Options

    return Options(dry_run=dry_run, allow_dirty=allow_dirty, commit=commit)


def _console(*, stderr: bool) -> Console:
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console.width = 200  # paths in full when piped or captured
    return console


def _print_outcome(outcome: Outcome, as_json: bool) -> None:
    if as_json:
        import json

        typer.echo(json.dumps(outcome.to_json(), indent=2))
        return
    # The plan is the requested output of --dry-run (stdout); otherwise it is status (stderr).
    console = _console(stderr=outcome.applied)
    console.print(outcome.plan.to_table())
    done = f"{outcome.summary}" + (" and committed" if outcome.committed else "")
    console.print(f"[bold]{done}[/]" + ("" if outcome.applied else " (dry run: nothing written)"))


def _print_project(outcome: ProjectOutcome) -> None:
    from rich.table import Table

    console = _console(stderr=not outcome.dry_run)
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("status")
    table.add_column("file")
    for path in outcome.files:
        table.add_row("[green]create[/]", path)
    console.print(table)
    root = outcome.project.root
    if outcome.dry_run:
        console.print(f"[bold]would create project {root.name}[/] (dry run: nothing written)")
        return
    git = " (git: first commit made)" if outcome.committed else ""
    console.print(f"[bold]created project {root.name} in {root}[/]{git}")
    console.print(f"next: cd {root.name} && petrock new feature NAME --command SPEC && pytest")

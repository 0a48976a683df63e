"""The `petrock` command line: thin typer commands over the library.

Each command parses its arguments, calls one library function and maps the result to an exit code.
`main()` is the one place where `PetrockError` is caught and turned into a message and an exit code.
Heavy libraries (copier, libcst, the runtime) are imported inside the commands, so `petrock --help`
starts fast.
"""

from __future__ import annotations

import sys

import typer

from petrock_gen import __version__
from petrock_gen.cli import _demo, _mcp, _migrate, _new, _regenerate
from petrock_gen.errors import PetrockError, UserError

__all__ = ["app", "main"]

app = typer.Typer(
    name="petrock",
    help="Generate, run and migrate command-sourced apps with background workers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(_new.app, name="new")
_regenerate.register(app)
_migrate.register(app)
_demo.register(app)
_mcp.register(app)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"petrock {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version."
    ),
) -> None:
    """Generate, run and migrate command-sourced apps with background workers."""


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; the one place where petrock errors become messages and exit codes.

    Typer runs in standalone mode, so usage errors exit 2 with its own message; a `UserError`
    exits with its code (1, or 2 for `UsageError`) after one line on stderr; Ctrl-C exits 130.
    """
    try:
        app(args=argv, prog_name="petrock")
    except UserError as error:
        _print_error(error.message, error.hint)
        sys.exit(error.exit_code)
    except PetrockError as error:
        _print_error(str(error), None)
        sys.exit(1)
    except KeyboardInterrupt:
        _print_error("interrupted", None)
        sys.exit(130)
    except SystemExit as done:
        if done.code == 130:  # typer turns Ctrl-C into a silent exit 130
            _print_error("interrupted", None)
        raise


def _print_error(message: str, hint: str | None) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    line = f"[bold red]error:[/] {escape(message)}"
    if hint:
        line += f" [dim](hint: {escape(hint)})[/]"
    console.print(line)

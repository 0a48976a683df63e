"""What the migrator shows on stderr: a progress bar, a line per rewritten file, a summary table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from petrock_gen.migrate._report import RunReport

__all__ = ["Advance", "console", "needs_a_human", "progress", "summary"]

Advance = Callable[[str], None]


def console(stream: TextIO) -> Console:
    """A console on `stream` (stderr), without highlighting."""
    return Console(file=stream, highlight=False, soft_wrap=True)


@contextmanager
def progress(target: Console, total: int) -> Iterator[Advance]:
    """A transient progress bar over `total` files; yields the function that advances it."""
    bar = Progress(
        TextColumn("migrating"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=target,
        transient=True,
    )
    with bar:
        task = bar.add_task("", total=total)

        def advance(path: str) -> None:
            bar.update(task, advance=1, description=escape(path))

        yield advance


def summary(target: Console, report: RunReport, wrote: bool) -> None:
    """`Rewriting PATH` / `Would rewrite PATH` per changed file, one `PATH:LINE: ...` line per thing
    that needs a human, then the table of outcomes."""
    verb = "Rewriting" if wrote else "Would rewrite"
    for result in report.changed():
        target.print(f"{verb} {escape(result.path)}")
    for line in needs_a_human(report):
        target.print(escape(line))
    table = Table(title="petrock migrate-worker", title_justify="left")
    table.add_column("outcome")
    table.add_column("count", justify="right")
    table.add_column("classes / files")
    counts = report.counts()
    for outcome, count in counts.items():
        table.add_row(outcome, str(count), escape(", ".join(_names(report, outcome))))
    target.print(table)
    if counts["migrated"] or counts["partial"]:
        target.print(
            "NOTE: migrated handlers also run while a worker replays its log at start-up, as the "
            "old loops did on every boot; guard side effects with `if ctx.is_replay: return` "
            "(one note per worker, with the other notes, in --json)."
        )
    skipped = sum(1 for f in report.files if f.status == "skipped")
    target.print(
        f"{_count(len(report.files), 'file')}: {len(report.changed())} changed, {skipped} skipped before "
        "parsing (no class with a `work` method)"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def needs_a_human(report: RunReport) -> list[str]:
    """`PATH:LINE: outcome: Class: message` for every TODO, refusal and failed file."""
    lines: list[str] = []
    for result in report.files:
        if result.status == "failed":
            lines.append(f"{result.path}: failed: {result.reason.splitlines()[0]}")
        for cls in result.classes:
            for finding in cls.findings:
                if finding.kind != "note":
                    lines.append(
                        f"{result.path}:{finding.line}: {cls.outcome}: {cls.name}: "
                        f"{finding.message}"
                    )
    return lines


def _names(report: RunReport, outcome: str) -> list[str]:
    """Class names; `path:line Class` where a human is needed (the line of the first finding)."""
    if outcome == "failed":
        return [f.path for f in report.files if f.status == "failed"]
    found = []
    for result in report.files:
        for cls in result.classes:
            if cls.outcome != outcome:
                continue
            if outcome in ("partial", "refused"):
                lines = [f.line for f in cls.findings if f.kind != "note"] or [cls.line]
                found.append(f"{result.path}:{lines[0]} {cls.name}")
            else:
                found.append(cls.name)
    return found

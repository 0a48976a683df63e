"""What a regeneration did or would do, per feature: the summary the CLI prints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from petrock_gen.files import FileAction, Plan

if TYPE_CHECKING:
    from rich.table import Table

__all__ = ["REGISTRY", "FeatureReport", "Mode", "RegenerateReport", "feature_report"]

Mode = Literal["apply", "check", "diff", "dry-run"]
FeatureStatus = Literal["up to date", "updated", "out of date", "conflict"]
# The manifest key and summary row of the project registry (not a valid feature name).
REGISTRY = "(registry)"

_STYLES = {"up to date": "dim", "updated": "green", "out of date": "yellow", "conflict": "bold red"}


@dataclass(frozen=True)
class FeatureReport:
    """One feature's outcome: its status, file counts per status word, and what needs a look.

    `rendered` is False when the feature was skipped because its inputs hash did not change.
    """

    name: str
    status: FeatureStatus
    rendered: bool
    counts: dict[str, int]
    conflicts: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    orphaned: tuple[str, ...] = ()

    def notes(self) -> str:
        """Conflicted, deleted and orphaned items in a few words."""
        parts = []
        if self.conflicts:
            parts.append("conflict: " + ", ".join(self.conflicts))
        if self.deleted:
            parts.append("deleted by you: " + ", ".join(self.deleted))
        if self.orphaned:
            parts.append("orphaned: " + ", ".join(self.orphaned))
        return "; ".join(parts)


def feature_report(
    name: str, actions: Sequence[FileAction], mode: Mode, *, rendered: bool = True
) -> FeatureReport:
    """Summarise the actions of one feature's files."""
    counts = Counter(a.status for a in actions)
    conflicts = tuple(a.path for a in actions if a.status == "conflict")
    writes = any(a.content is not None for a in actions)
    status: FeatureStatus = "up to date"
    if conflicts:
        status = "conflict"
    elif writes:
        status = "updated" if mode == "apply" else "out of date"
    orphaned = tuple(f"{n} ({a.path.rsplit('/', 1)[-1]})" for a in actions for n in a.orphaned)
    return FeatureReport(
        name=name,
        status=status,
        rendered=rendered,
        counts=dict(sorted(counts.items())),
        conflicts=conflicts,
        deleted=tuple(a.path for a in actions if a.status == "deleted"),
        orphaned=orphaned,
    )


@dataclass
class RegenerateReport:
    """The outcome of `regenerate()`: the file plan and one report per feature (and registry)."""

    mode: Mode
    plan: Plan
    features: list[FeatureReport]
    template_version: str

    @property
    def out_of_date(self) -> bool:
        """True when a feature has files to write or conflicts (what `--check` fails on)."""
        return any(f.status in ("out of date", "updated", "conflict") for f in self.features)

    @property
    def has_conflicts(self) -> bool:
        """True when a file has (or would get) conflict markers, or was refused."""
        return any(f.status == "conflict" for f in self.features)

    @property
    def exit_code(self) -> int:
        """1 on conflicts, or with `--check` when something is out of date; otherwise 0."""
        if self.has_conflicts:
            return 1
        if self.mode == "check" and self.out_of_date:
            return 1
        return 0

    def counts(self) -> dict[str, int]:
        """How many features got each status."""
        return dict(Counter(f.status for f in self.features))

    def summary_table(self) -> Table:
        """One row per feature: status, files per status word, conflicts/deleted/orphaned."""
        from rich.table import Table

        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("feature", overflow="fold")
        table.add_column("status", no_wrap=True)
        table.add_column("files")
        table.add_column("notes", overflow="fold")
        for item in self.features:
            files = ", ".join(f"{n} {s}" for s, n in item.counts.items()) if item.rendered else ""
            style = _STYLES[item.status]
            table.add_row(item.name, f"[{style}]{item.status}[/]", files, item.notes())
        return table

    def summary_line(self) -> str:
        """E.g. `100 features: 3 updated, 97 up to date`."""
        features = [f for f in self.features if f.name != REGISTRY]
        counted = Counter(f.status for f in features)
        parts = [f"{count} {status}" for status, count in sorted(counted.items())]
        line = f"{len(features)} feature{'s' if len(features) != 1 else ''}: {', '.join(parts)}"
        if not features:
            line = "no features yet"
        registry = next((f for f in self.features if f.name == REGISTRY), None)
        return line if registry is None else f"{line}; registry {registry.status}"

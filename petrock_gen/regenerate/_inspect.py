"""`petrock inspect`: every feature, its workers, the commands each handles, and freshness."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from petrock_gen.regenerate._report import REGISTRY
from petrock_gen.regenerate._run import project_state, regenerate

if TYPE_CHECKING:
    from rich.table import Table

    from petrock_gen.generate import FeatureSpec

__all__ = ["CommandInfo", "FeatureInfo", "FieldInfo", "ProjectInfo", "WorkerInfo", "inspect"]


@dataclass(frozen=True)
class FieldInfo:
    """A command field: name, type in the SPEC spelling (`list[int]?`), default (SPEC text)."""

    name: str
    type: str
    default: str | None


@dataclass(frozen=True)
class CommandInfo:
    """A command: its name and fields."""

    name: str
    fields: tuple[FieldInfo, ...]


@dataclass(frozen=True)
class WorkerInfo:
    """A worker: the commands it handles and its periodic work (seconds, None when it has none)."""

    name: str
    handles: tuple[str, ...]
    periodic_every: float | None


@dataclass(frozen=True)
class FeatureInfo:
    """A feature as its spec describes it, whether its files are up to date, and the template
    version of its last regeneration (None before the first)."""

    name: str
    description: str
    commands: tuple[CommandInfo, ...]
    workers: tuple[WorkerInfo, ...]
    up_to_date: bool
    template_version: str | None = None


@dataclass(frozen=True)
class ProjectInfo:
    """The project's features; `registry_up_to_date` covers the generated registry."""

    root: str
    package: str
    template_version: str
    features: tuple[FeatureInfo, ...]
    registry_up_to_date: bool

    def to_json(self) -> str:
        """Indented JSON with stable key order, for tools."""
        return json.dumps(asdict(self), indent=2) + "\n"

    def to_table(self) -> Table:
        """One row per worker: feature, worker, the commands it handles with their fields."""
        from rich.table import Table

        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for column in ("feature", "up to date", "worker", "handles", "periodic"):
            table.add_column(column)
        for feature in self.features:
            fields = {c.name: c.fields for c in feature.commands}
            fresh = "[green]yes[/]" if feature.up_to_date else "[yellow]no[/]"
            for index, worker in enumerate(feature.workers):
                handles = "\n".join(_command_line(n, fields.get(n, ())) for n in worker.handles)
                every = "" if worker.periodic_every is None else f"every {worker.periodic_every}s"
                first = index == 0
                table.add_row(
                    feature.name if first else "",
                    fresh if first else "",
                    worker.name,
                    handles or "[dim](none)[/]",
                    every,
                )
        return table


def _command_line(name: str, fields: tuple[FieldInfo, ...]) -> str:
    listed = ", ".join(
        f"{f.name}: {f.type}" + (f" = {f.default}" if f.default else "") for f in fields
    )
    return f"{name}({listed})"


def inspect(root: Path) -> ProjectInfo:
    """Describe the project at (or above) `root`; writes nothing. A corrupt spec raises
    `UserError` naming its file and line."""
    from petrock_gen.generate import load_feature_spec

    state = project_state(root)
    # Features whose inputs hash changed (or was never recorded) are rendered and planned, as
    # `petrock regenerate --check` would: up to date means nothing would be written.
    check = regenerate(root, mode="check")
    fresh = {f.name: f.status == "up to date" for f in check.features}
    recorded = state.manifest.features
    features = tuple(
        replace(
            _feature_info(load_feature_spec(state.spec_paths[name]), name, fresh.get(name, True)),
            template_version=recorded[name].template_version if name in recorded else None,
        )
        for name in sorted(state.spec_paths)
    )
    return ProjectInfo(
        root=str(state.project.root),
        package=state.project.package.snake,
        template_version=state.version,
        features=features,
        registry_up_to_date=fresh.get(REGISTRY, True),
    )


def _feature_info(spec: FeatureSpec, name: str, up_to_date: bool) -> FeatureInfo:
    commands = tuple(
        CommandInfo(
            c.name.snake,
            tuple(FieldInfo(f.name.snake, f.type.spec, f.default) for f in c.fields),
        )
        for c in spec.commands
    )
    workers = tuple(
        WorkerInfo(
            w.name.snake,
            tuple(h.snake for h in w.handles),
            w.every if w.periodic else None,
        )
        for w in spec.workers
    )
    return FeatureInfo(name, spec.description, commands, workers, up_to_date)

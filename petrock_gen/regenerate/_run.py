"""`petrock regenerate`: bring features' files up to date with their specs and the templates.

Each feature whose inputs hash (spec, project, template version) matches the manifest is skipped
without rendering. The others are rendered with the generator, together with the project registry
when any feature changed, and the files go through one plan of the file engine: unedited files are
replaced, edited ones merged three ways, user files extended structurally, all written atomically.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from petrock_gen.errors import UserError
from petrock_gen.files import (
    FeatureRecord,
    FileAction,
    Manifest,
    Plan,
    RenderedFile,
    load_manifest,
    plan_files,
)
from petrock_gen.regenerate._fingerprint import feature_inputs, registry_inputs, template_version
from petrock_gen.regenerate._report import REGISTRY, Mode, RegenerateReport, feature_report

if TYPE_CHECKING:
    from petrock_gen.generate import FeatureSpec, Project

__all__ = ["Progress", "ProjectState", "project_state", "regenerate"]

_SPEC_FILE = "feature.toml"


class Progress(Protocol):
    """Receives progress while features are rendered (the CLI draws a progress bar)."""

    def start(self, total: int) -> None:
        """`total` features are about to be rendered."""

    def advance(self, feature: str) -> None:
        """`feature` has been rendered."""


@dataclass
class ProjectState:
    """The project, its features' spec paths and inputs hashes, and which ones are stale."""

    project: Project
    manifest: Manifest
    version: str
    spec_paths: dict[str, Path]
    inputs: dict[str, str]
    registry_inputs: str

    def is_stale(self, name: str) -> bool:
        """True when `name` (a feature, or REGISTRY) changed since its last regeneration."""
        record = self.manifest.features.get(name)
        expected = self.registry_inputs if name == REGISTRY else self.inputs[name]
        return record is None or record.inputs_sha256 != expected


def project_state(root: Path) -> ProjectState:
    """Load the project at (or above) `root` and hash every feature's inputs; renders nothing."""
    from petrock_gen.generate import load_project

    project = load_project(root)
    manifest = load_manifest(project.root)
    version = template_version()
    key = f"{project.package.snake}\0{project.source}\0{project.tests}"
    spec_paths: dict[str, Path] = {}
    inputs: dict[str, str] = {}
    for name in project.feature_names():
        path = project.root / project.feature_path(name, _SPEC_FILE)
        spec_paths[name.snake] = path
        inputs[name.snake] = feature_inputs(version, key, _read_bytes(path))
    return ProjectState(
        project,
        manifest,
        version,
        spec_paths,
        inputs,
        registry_inputs(version, key, inputs.items()),
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror or error}") from None


def regenerate(
    root: Path,
    features: Sequence[str] = (),
    *,
    mode: Mode = "apply",
    progress: Progress | None = None,
) -> RegenerateReport:
    """Regenerate the named features (all by default) and the registry of the project at `root`.

    `mode`: "apply" writes; "check", "diff" and "dry-run" only plan. A corrupt spec raises a
    `UserError` naming its file and line before anything is written.
    """
    state = project_state(root)
    selected = _select(state, features)
    stale = [name for name in selected if state.is_stale(name)]
    specs = _load_specs(state, stale)
    files, owners = _render(state, stale, specs, progress)
    if state.is_stale(REGISTRY):
        registry = _render_registry(state, specs)
        files.append(registry)
        owners[registry.path] = REGISTRY
    plan = plan_files(state.project.root, files)
    spec_files = {state.spec_paths[n].relative_to(state.project.root).as_posix() for n in stale}
    plan.actions = [_keep_spec(a) if a.path in spec_files else a for a in plan.actions]
    by_owner: dict[str, list[FileAction]] = {}
    for action in plan.actions:
        by_owner.setdefault(owners[action.path], []).append(action)
    _record(state, plan, by_owner)
    if mode == "apply":
        if not features:
            plan.dropped_features = set(state.manifest.features) - set(state.inputs) - {REGISTRY}
        plan.apply()
    reports = [
        feature_report(name, by_owner.get(name, []), mode, rendered=name in by_owner)
        for name in [*selected, REGISTRY]
        if name != REGISTRY or name in by_owner
    ]
    return RegenerateReport(mode, plan, reports, state.version)


def _select(state: ProjectState, features: Sequence[str]) -> list[str]:
    if not features:
        return sorted(state.inputs)
    wanted = [_snake(name) for name in features]
    unknown = [name for name in wanted if name not in state.inputs]
    if unknown:
        known = ", ".join(sorted(state.inputs)) or "none yet"
        raise UserError(
            f"no feature named {unknown[0]!r} in this project",
            hint=f"features: {known}",
        )
    return list(dict.fromkeys(wanted))


def _snake(name: str) -> str:
    """A feature name as given on the command line (`order-lines`, `OrderLines`) in snake case."""
    from petrock_gen.generate import FeatureName

    try:
        return FeatureName.parse(name).snake
    except UserError:
        return name


def _load_specs(state: ProjectState, names: Sequence[str]) -> dict[str, FeatureSpec]:
    from petrock_gen.generate import load_feature_spec

    return {name: load_feature_spec(state.spec_paths[name]) for name in names}


def _render(
    state: ProjectState,
    names: Sequence[str],
    specs: dict[str, FeatureSpec],
    progress: Progress | None,
) -> tuple[list[RenderedFile], dict[str, str]]:
    from petrock_gen.generate import render_feature

    files: list[RenderedFile] = []
    owners: dict[str, str] = {}
    if progress is not None and names:
        progress.start(len(names))
    for name in names:
        for file in render_feature(state.project, specs[name]):
            files.append(file)
            owners[file.path] = name
        if progress is not None:
            progress.advance(name)
    return files, owners


def _render_registry(state: ProjectState, specs: dict[str, FeatureSpec]) -> RenderedFile:
    from petrock_gen.generate import load_feature_spec, render_registry

    every = [
        specs[name] if name in specs else load_feature_spec(path)
        for name, path in sorted(state.spec_paths.items())
    ]
    return render_registry(state.project, every)


def _keep_spec(action: FileAction) -> FileAction:
    """The spec file is the source of truth: read, never rewritten (its baseline still updates)."""
    if action.status in ("identical", "skip"):
        return action
    return dataclasses.replace(
        action, status="skip", content=None, detail="the spec: yours, read and never rewritten"
    )


def _record(state: ProjectState, plan: Plan, by_owner: dict[str, list[FileAction]]) -> None:
    """Remember the inputs hash of every rendered feature without conflicts (so it is skipped
    next time); a feature with conflicts is rendered again until they are resolved."""
    for name, actions in by_owner.items():
        if any(a.status == "conflict" for a in actions):
            continue
        inputs = state.registry_inputs if name == REGISTRY else state.inputs[name]
        paths = tuple(a.path for a in actions)
        plan.features[name] = FeatureRecord(state.version, inputs, paths)

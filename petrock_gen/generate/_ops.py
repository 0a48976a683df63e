"""`petrock new feature|command|worker`: validate, render, plan, then (unless dry run) write.

Each operation returns an `Outcome` holding the plan. Nothing is written when the input is bad,
the tree is dirty (unless allowed), or the plan has a conflict; writes are atomic per file and the
registry is renamed last, so an interrupted run never registers a half-written feature.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from petrock_gen.errors import UserError
from petrock_gen.files import Plan, RenderedFile, plan_files
from petrock_gen.generate._featurefile import load_feature_spec
from petrock_gen.generate._names import CommandName, FeatureName, WorkerName
from petrock_gen.generate._project import Project, load_project, refuse_dirty_tree
from petrock_gen.generate._render import render_feature, render_registry
from petrock_gen.generate._spec import (
    CommandSpec,
    FeatureSpec,
    WorkerSpec,
    check_description,
    check_unique_fields,
    parse_command_spec,
    parse_field,
)

__all__ = [
    "Options",
    "Outcome",
    "new_command",
    "new_feature",
    "new_worker",
    "plan_rows",
    "split_target",
]


@dataclass(frozen=True)
class Options:
    """How to run: `dry_run` plans only, `allow_dirty` skips the clean-tree check, `commit` commits
    the written files with git."""

    dry_run: bool = False
    allow_dirty: bool = False
    commit: bool = False


@dataclass(frozen=True)
class Outcome:
    """What an operation planned and whether it was written and committed."""

    project: Project
    plan: Plan
    summary: str
    applied: bool
    committed: bool = False

    def to_json(self) -> dict[str, Any]:
        """The outcome for tools: the summary, whether it was written and committed, and the plan
        (a status word and detail per file, as printed)."""
        return {
            "summary": self.summary,
            "applied": self.applied,
            "committed": self.committed,
            "files": plan_rows(self.plan),
        }


def plan_rows(plan: Plan) -> list[dict[str, str]]:
    """One `{"path", "status", "detail"}` per file of `plan`, in order."""
    return [{"path": a.path, "status": a.status, "detail": a.detail} for a in plan.actions]


def new_feature(
    cwd: Path,
    name: str,
    commands: Sequence[str] = (),
    workers: Sequence[str] = (),
    *,
    periodic: bool = True,
    description: str = "",
    options: Options = Options(),
) -> Outcome:
    """Add a feature package (spec, commands, workers, handlers, state, periodic work, tests) and
    register it. SPECs are parsed with `parse_command_spec`; every worker handles every command."""
    feature = FeatureName.parse(name)
    check_description(description)
    parsed = [parse_command_spec(text) for text in commands]
    _unique([c.name.snake for c in parsed], "command", "--command")
    extra = [WorkerName.parse(w) for w in workers]
    worker_names = [WorkerName(feature.snake), *extra]
    _unique([w.snake for w in worker_names], "worker", "--worker")
    project = load_project(cwd)
    folder = project.root / project.feature_path(feature)
    if folder.exists() and (not folder.is_dir() or any(p.is_file() for p in folder.rglob("*"))):
        raise UserError(
            f"feature {feature.snake!r} already exists in {project.feature_path(feature)}",
            hint=f"add to it with `petrock new command {feature.snake}/NAME`, or pick another name",
        )
    handles = tuple(c.name for c in parsed)
    spec = FeatureSpec(
        name=feature,
        description=description,
        commands=tuple(parsed),
        workers=tuple(WorkerSpec(w, handles, periodic=periodic) for w in worker_names),
    )
    specs = [*_registered(project), spec]
    return _run(project, spec, specs, f"feature {feature.snake}", options)


def new_command(
    cwd: Path,
    target: str,
    fields: Sequence[str] = (),
    workers: Sequence[str] = (),
    *,
    description: str = "",
    options: Options = Options(),
) -> Outcome:
    """Add command NAME to FEATURE (`target` is `FEATURE/NAME`), handled by the named workers (the
    feature's main worker by default); existing code is extended, never rewritten."""
    feature_text, command_text = split_target(target, "command")
    command = CommandName.parse(command_text)
    check_description(description)
    parsed = [parse_field(text) for text in fields]
    check_unique_fields(parsed, target)
    project, spec = _load_feature(cwd, feature_text)
    if spec.command(command) is not None:
        raise UserError(
            f"command {command.snake!r} already exists in feature {spec.name.snake!r}",
            hint="pick another name, or edit feature.toml and run `petrock regenerate`",
        )
    chosen = [WorkerName.parse(w) for w in workers] or [spec.main_worker.name]
    for worker in chosen:
        if spec.worker(worker) is None:
            raise UserError(
                f"feature {spec.name.snake!r} has no worker {worker.snake!r}",
                hint=f"workers: {', '.join(w.name.snake for w in spec.workers)}",
            )
    new = CommandSpec(command, tuple(parsed), description)
    updated = replace(
        spec,
        commands=(*spec.commands, new),
        workers=tuple(
            replace(w, handles=(*w.handles, command)) if w.name in chosen else w
            for w in spec.workers
        ),
    )
    specs = [s if s.name != spec.name else updated for s in _registered(project)]
    return _run(project, updated, specs, f"command {spec.name.snake}/{command.snake}", options)


def new_worker(
    cwd: Path,
    target: str,
    handles: Sequence[str] = (),
    *,
    periodic: bool = True,
    description: str = "",
    options: Options = Options(),
) -> Outcome:
    """Add worker NAME to FEATURE (`target` is `FEATURE/NAME`) handling the named commands (all
    of the feature's commands by default), with its state, handler stubs and periodic work."""
    feature_text, worker_text = split_target(target, "worker")
    worker = WorkerName.parse(worker_text)
    check_description(description)
    project, spec = _load_feature(cwd, feature_text)
    if spec.worker(worker) is not None or worker.snake == spec.name.snake:
        raise UserError(
            f"worker {worker.snake!r} already exists in feature {spec.name.snake!r}",
            hint="pick another name",
        )
    chosen = [CommandName.parse(c) for c in handles] or [c.name for c in spec.commands]
    for command in chosen:
        if spec.command(command) is None:
            raise UserError(
                f"feature {spec.name.snake!r} has no command {command.snake!r}",
                hint=f"add it first with `petrock new command {spec.name.snake}/{command.snake}`",
            )
    added = WorkerSpec(worker, tuple(chosen), description, periodic=periodic)
    updated = replace(spec, workers=(*spec.workers, added))
    specs = [s if s.name != spec.name else updated for s in _registered(project)]
    return _run(project, updated, specs, f"worker {spec.name.snake}/{worker.snake}", options)


def split_target(target: str, kind: str) -> tuple[str, str]:
    """`FEATURE/NAME` -> (feature, name); `UserError` for any other shape."""
    feature, slash, name = target.partition("/")
    if not slash or not feature or not name or "/" in name:
        raise UserError(
            f"invalid {kind} {target!r}: expected FEATURE/NAME",
            hint=f"for example `petrock new {kind} billing/{'refund' if kind == 'command' else 'notifier'}`",
        )
    return feature, name


def _load_feature(cwd: Path, feature_text: str) -> tuple[Project, FeatureSpec]:
    feature = FeatureName.parse(feature_text)
    project = load_project(cwd)
    path = project.root / project.feature_path(feature, "feature.toml")
    if not path.is_file():
        raise UserError(
            f"no feature {feature.snake!r} in this project ({project.feature_path(feature)})",
            hint=f"create it with `petrock new feature {feature.snake}`",
        )
    return project, load_feature_spec(path)


def _registered(project: Project) -> list[FeatureSpec]:
    """The features the registry lists. The registry needs only their names, so their specs
    are not parsed here (that would make adding the n-th feature O(n) in spec parsing)."""
    return [FeatureSpec(name) for name in project.feature_names()]


def _unique(names: list[str], kind: str, option: str) -> None:
    for index, name in enumerate(names):
        if name in names[:index]:
            raise UserError(f"{kind} {name!r} is given twice", hint=f"give each {option} once")


def _run(
    project: Project, spec: FeatureSpec, specs: list[FeatureSpec], what: str, options: Options
) -> Outcome:
    if not options.dry_run and not options.allow_dirty:
        refuse_dirty_tree(project.root)
    files: list[RenderedFile] = [*render_feature(project, spec), render_registry(project, specs)]
    try:
        plan = plan_files(project.root, files)
    except OSError as error:
        raise UserError(
            f"cannot write {error.filename or project.root}: {error.strerror or error}; "
            "nothing was written",
            hint="check that the folders are folders and writable, then run again",
        ) from None
    if plan.has_conflicts():
        clashing = ", ".join(a.path for a in plan.actions if a.status == "conflict")
        raise UserError(
            f"adding {what} would conflict with your edits in {clashing}; nothing was written",
            hint="resolve them (see `petrock regenerate --diff`), then run again",
        )
    if options.dry_run:
        return Outcome(project, plan, f"would add {what}", applied=False)
    plan.apply()
    committed = options.commit and _git_commit(project.root, plan, f"petrock: add {what}")
    return Outcome(project, plan, f"added {what}", applied=True, committed=committed)


def _git_commit(root: Path, plan: Plan, message: str) -> bool:
    paths = [a.path for a in plan.changes()] + [".petrock"]
    _git(root, "add", "--", *paths)
    _git(root, "commit", "-q", "-m", message)
    return True


def _git(root: Path, *args: str) -> None:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise UserError(
            f"git {args[0]} failed: {result.stderr.strip().splitlines()[-1:] or result.returncode}",
            hint="the files are written; commit them yourself",
        )

"""What `petrock mcp` offers, as plain functions over a project folder returning JSON-ready dicts.

Each tool calls the same library function as its CLI command, so it keeps every rule of the CLI:
names are validated, writes are atomic, nothing is written on a conflict, and the result is the
same plan with a status word per file. The writing tools refuse a dirty git tree unless
`allow_dirty` is given (regenerate and migrate-worker too, which on the command line do not ask),
so an agent's changes can always be reviewed, and undone, with git. Errors are `UserError`s.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from petrock_gen.errors import UserError

__all__ = ["READ_ONLY", "WRITING", "Tool", "Tools"]

Json = dict[str, Any]


@dataclass(frozen=True)
class Tool:
    """A tool: its name, whether it only reads, and the method of `Tools` that runs it."""

    name: str
    read_only: bool
    method: str


class Tools:
    """The tools on the project at (or above) `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    # -- read-only ------------------------------------------------------------------------------
    def inspect(self) -> Json:
        """Features, workers, the commands each handles with their fields, periodic work, and
        whether each feature's files are up to date (what `petrock inspect --json` prints)."""
        from petrock_gen.regenerate import inspect

        result: Json = json.loads(inspect(self.root).to_json())
        return result

    def command_schemas(self) -> Json:
        """`{command name: JSON Schema}` of every command's JSON form (`petrock inspect --schema`)."""
        from petrock_gen.regenerate import command_schemas

        return {"schemas": command_schemas(self.root)}

    def plan_new_feature(
        self,
        name: str,
        commands: Sequence[str] = (),
        workers: Sequence[str] = (),
        periodic: bool = True,
        description: str = "",
    ) -> Json:
        """The plan of `petrock new feature --dry-run`; writes nothing."""
        return self._new_feature(name, commands, workers, periodic, description, dry_run=True)

    def plan_new_command(
        self,
        target: str,
        fields: Sequence[str] = (),
        workers: Sequence[str] = (),
        description: str = "",
    ) -> Json:
        """The plan of `petrock new command FEATURE/NAME --dry-run`; writes nothing."""
        return self._new_command(target, fields, workers, description, dry_run=True)

    def plan_new_worker(
        self,
        target: str,
        handles: Sequence[str] = (),
        periodic: bool = True,
        description: str = "",
    ) -> Json:
        """The plan of `petrock new worker FEATURE/NAME --dry-run`; writes nothing."""
        return self._new_worker(target, handles, periodic, description, dry_run=True)

    def regenerate_check(self, features: Sequence[str] = ()) -> Json:
        """`petrock regenerate --check` (a status word per file); writes nothing."""
        return self._regenerate(features, "check")

    def regenerate_diff(self, features: Sequence[str] = ()) -> Json:
        """`petrock regenerate --diff`: the unified diff and a status word per file; writes nothing."""
        return self._regenerate(features, "diff")

    def migrate_worker_diff(self, paths: Sequence[str]) -> Json:
        """`petrock migrate-worker --diff --json`: the outcome per class and the diff; writes nothing."""
        return self._migrate(paths, diff=True)

    # -- writing --------------------------------------------------------------------------------
    def new_feature(
        self,
        name: str,
        commands: Sequence[str] = (),
        workers: Sequence[str] = (),
        periodic: bool = True,
        description: str = "",
        allow_dirty: bool = False,
    ) -> Json:
        """`petrock new feature`: write the feature (atomically) and register it."""
        return self._new_feature(
            name, commands, workers, periodic, description, allow_dirty=allow_dirty
        )

    def new_command(
        self,
        target: str,
        fields: Sequence[str] = (),
        workers: Sequence[str] = (),
        description: str = "",
        allow_dirty: bool = False,
    ) -> Json:
        """`petrock new command FEATURE/NAME`: add the command, its handler stubs and tests."""
        return self._new_command(target, fields, workers, description, allow_dirty=allow_dirty)

    def new_worker(
        self,
        target: str,
        handles: Sequence[str] = (),
        periodic: bool = True,
        description: str = "",
        allow_dirty: bool = False,
    ) -> Json:
        """`petrock new worker FEATURE/NAME`: add the worker, its state, stubs and tests."""
        return self._new_worker(target, handles, periodic, description, allow_dirty=allow_dirty)

    def regenerate(self, features: Sequence[str] = (), allow_dirty: bool = False) -> Json:
        """`petrock regenerate`: bring the features' files up to date, keeping the user's edits."""
        self._refuse_dirty(allow_dirty)
        return self._regenerate(features, "apply")

    def migrate_worker_apply(self, paths: Sequence[str], allow_dirty: bool = False) -> Json:
        """`petrock migrate-worker PATH...`: rewrite old worker classes in place (atomically)."""
        self._refuse_dirty(allow_dirty)
        return self._migrate(paths, diff=False)

    # -- shared ---------------------------------------------------------------------------------
    def _new_feature(
        self,
        name: str,
        commands: Sequence[str],
        workers: Sequence[str],
        periodic: bool,
        description: str,
        *,
        dry_run: bool = False,
        allow_dirty: bool = False,
    ) -> Json:
        from petrock_gen.generate import Options, new_feature

        options = Options(dry_run=dry_run, allow_dirty=allow_dirty)
        return new_feature(
            self.root,
            name,
            commands,
            workers,
            periodic=periodic,
            description=description,
            options=options,
        ).to_json()

    def _new_command(
        self,
        target: str,
        fields: Sequence[str],
        workers: Sequence[str],
        description: str,
        *,
        dry_run: bool = False,
        allow_dirty: bool = False,
    ) -> Json:
        from petrock_gen.generate import Options, new_command

        options = Options(dry_run=dry_run, allow_dirty=allow_dirty)
        outcome = new_command(
            self.root, target, fields, workers, description=description, options=options
        )
        return outcome.to_json()

    def _new_worker(
        self,
        target: str,
        handles: Sequence[str],
        periodic: bool,
        description: str,
        *,
        dry_run: bool = False,
        allow_dirty: bool = False,
    ) -> Json:
        from petrock_gen.generate import Options, new_worker

        options = Options(dry_run=dry_run, allow_dirty=allow_dirty)
        outcome = new_worker(
            self.root, target, handles, periodic=periodic, description=description, options=options
        )
        return outcome.to_json()

    def _regenerate(self, features: Sequence[str], mode: str) -> Json:
        from petrock_gen.generate import plan_rows
        from petrock_gen.regenerate import Mode, regenerate

        modes: dict[str, Mode] = {"check": "check", "diff": "diff", "apply": "apply"}
        report = regenerate(self.root, features, mode=modes[mode])
        result: Json = {
            "summary": report.summary_line(),
            "applied": mode == "apply",
            "out_of_date": report.out_of_date,
            "has_conflicts": report.has_conflicts,
            "exit_code": report.exit_code,
            "features": {f.name: f.status for f in report.features},
            "files": plan_rows(report.plan),
        }
        if mode == "diff":
            result["diff"] = report.plan.diff()
        return result

    def _migrate(self, paths: Sequence[str], *, diff: bool) -> Json:
        from petrock_gen.migrate import Options, migrate_paths

        if not paths:
            raise UserError("give at least one path to migrate", hint='e.g. paths=["legacy/"]')
        inside = [self._inside(path) for path in paths]
        out, err = io.StringIO(), io.StringIO()
        report = migrate_paths(inside, Options(diff=diff, json=True), out=out, err=err)
        result: Json = json.loads(out.getvalue())
        result["applied"] = not diff
        result["exit_code"] = report.exit_code()
        if diff:
            result["diff"] = "".join(r.diff or "" for r in report.changed())
        return result

    def _inside(self, path: str) -> Path:
        from petrock_gen.generate import load_project

        top = load_project(self.root).root.resolve()
        resolved = (self.root / path).resolve()
        if resolved != top and top not in resolved.parents:
            raise UserError(
                f"{path} is outside the project {top}", hint="give paths inside the project"
            )
        return resolved

    def _refuse_dirty(self, allow_dirty: bool) -> None:
        from petrock_gen.generate import load_project
        from petrock_gen.generate._project import refuse_dirty_tree

        if not allow_dirty:
            refuse_dirty_tree(load_project(self.root).root)


def _tools(*names: str, read_only: bool) -> tuple[Tool, ...]:
    return tuple(Tool(name, read_only, name) for name in names)


READ_ONLY = _tools(
    "inspect",
    "command_schemas",
    "plan_new_feature",
    "plan_new_command",
    "plan_new_worker",
    "regenerate_check",
    "regenerate_diff",
    "migrate_worker_diff",
    read_only=True,
)
WRITING = _tools(
    "new_feature",
    "new_command",
    "new_worker",
    "regenerate",
    "migrate_worker_apply",
    read_only=False,
)


def bound(tools: Tools, tool: Tool) -> Callable[..., Json]:
    """The method of `tools` that runs `tool`."""
    method: Callable[..., Json] = getattr(tools, tool.method)
    return method

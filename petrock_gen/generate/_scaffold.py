"""`petrock new project`: copier renders `templates/project/` into a fresh folder.

The project is rendered into a temporary folder next to the target and renamed into place at the
end, so a failed or interrupted run leaves no half-made project. Then the (empty) feature registry
is written through the file engine, so it gets a baseline, the wheels of the runtime and of
petrock-gen go into `wheels/` (see `_wheels`), and git makes the first commit.

The project depends on the runtime alone, in the range compatible with the running one; petrock-gen
is in its dev extra.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from petrock_gen._paths import templates_dir
from petrock_gen.errors import UserError
from petrock_gen.files import plan_files
from petrock_gen.generate._names import PackageName
from petrock_gen.generate._project import Project
from petrock_gen.generate._render import render_registry
from petrock_gen.generate._spec import check_description
from petrock_gen.generate._wheels import (
    RUNTIME_DIST,
    TOOL_DIST,
    WHEELS_DIR,
    Wheel,
    compatible_range,
    project_wheels,
)

__all__ = ["ProjectOutcome", "new_project"]

_DEFAULT_DESCRIPTION = "A command-sourced app with background workers"
_GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "petrock",
    "GIT_AUTHOR_EMAIL": "petrock@localhost",
    "GIT_COMMITTER_NAME": "petrock",
    "GIT_COMMITTER_EMAIL": "petrock@localhost",
}


@dataclass(frozen=True)
class ProjectOutcome:
    """The new project, the files written (posix paths, sorted) and whether git committed them."""

    project: Project
    files: list[str]
    committed: bool
    dry_run: bool = False


def new_project(
    name: str,
    *,
    path: Path | None = None,
    package: str | None = None,
    description: str = "",
    git: bool = True,
    interactive: bool = False,
    dry_run: bool = False,
) -> ProjectOutcome:
    """Create project NAME in `path` (default: the current folder) as `path/NAME`.

    `interactive` lets copier ask its questions (package, description) on the terminal.
    """
    dist = PackageName.parse(name)
    pkg = PackageName.parse(package) if package else dist
    check_description(description)
    parent = (path or Path.cwd()).resolve()
    target = parent / name
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UserError(
            f"{target} already exists and is not empty", hint="pick another name or --path"
        )
    if not parent.is_dir():
        raise UserError(f"{parent} is not a folder", hint="create it first, or pick another --path")
    data = _answers(dist, pkg if package or not interactive else None, description, interactive)
    wheels = project_wheels()
    if dry_run:
        files = [*_template_outputs(data), f"src/{pkg.snake}/registry.py"]
        files += [f"{WHEELS_DIR}/{wheel.filename}" for wheel in wheels]
        return ProjectOutcome(Project(target, pkg), sorted(files), committed=False, dry_run=True)
    staging = _make_staging(parent, name)
    try:
        _copy(staging, data, interactive)
        answered = PackageName.parse(_read_package(staging) or pkg.snake).snake
        project = Project(staging, PackageName(answered))
        plan = plan_files(staging, [render_registry(project, [])])
        plan.apply()
        _write_wheels(staging / WHEELS_DIR, wheels)
        files = _list_files(staging)
        committed = git and _git_init(staging)
        _move_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ProjectOutcome(Project(target, PackageName(answered)), files, committed)


def _answers(
    dist: PackageName, package: PackageName | None, description: str, interactive: bool
) -> dict[str, str]:
    """The answers given on the command line (copier asks the others on a terminal, or takes
    defaults), and the hidden ones: version ranges of the running petrock, the runtime's files."""
    from petrock_runtime import __version__ as runtime_version
    from petrock_runtime import sqlite_side_files

    from petrock_gen import __version__ as tool_version

    data = {
        "project_name": dist.kebab,
        "runtime_requirement": f"{RUNTIME_DIST}{compatible_range(runtime_version)}",
        "tool_requirement": f"{TOOL_DIST}{compatible_range(tool_version)}",
        "runtime_ignores": "\n".join(sqlite_side_files("*.db")),
    }
    if package is not None:
        data["package"] = package.snake
    if description or not interactive:
        data["description"] = description or _DEFAULT_DESCRIPTION
    return data


def _write_wheels(folder: Path, wheels: list[Wheel]) -> None:
    folder.mkdir()
    for wheel in wheels:
        (folder / wheel.filename).write_bytes(wheel.content)


def _make_staging(parent: Path, name: str) -> Path:
    try:
        return Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".petrock-tmp", dir=parent))
    except OSError as error:
        raise UserError(
            f"cannot write in {parent}: {error.strerror or error}",
            hint="check the folder's permissions, or pick another --path",
        ) from None


def _copy(staging: Path, data: dict[str, str], interactive: bool) -> None:
    from copier import run_copy

    try:
        run_copy(
            str(templates_dir() / "project"),
            str(staging),
            data=data,
            defaults=not interactive,
            quiet=True,
            overwrite=True,
            unsafe=False,
        )
    except OSError as error:
        raise UserError(
            f"cannot write the project: {error.strerror or error}",
            hint="check the folder's permissions and free space",
        ) from None
    except ValueError as error:  # copier's validation of an answer
        raise UserError(f"copier refused an answer: {error}", hint="answer again") from None


def _read_package(root: Path) -> str | None:
    import tomllib

    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    value = data.get("tool", {}).get("petrock", {}).get("package")
    return value if isinstance(value, str) else None


def _template_outputs(data: dict[str, str]) -> list[str]:
    root = templates_dir() / "project" / "template"
    outputs = []
    for file in root.rglob("*"):
        if file.is_file():
            relative = file.relative_to(root).as_posix().removesuffix(".jinja")
            outputs.append(relative.replace("{{ package }}", data.get("package", "<package>")))
    return outputs


def _list_files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.parts
    )


def _git_init(root: Path) -> bool:
    env = dict(os.environ)
    configured = subprocess.run(
        ["git", "config", "--get", "user.email"], cwd=root, capture_output=True, check=False
    )
    if configured.returncode != 0:  # no identity configured: commit as petrock rather than fail
        for key, value in _GIT_IDENTITY.items():
            env.setdefault(key, value)
    for args in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "commit", "-q", "-m", "New project generated by petrock"],
    ):
        result = subprocess.run(
            args, cwd=root, capture_output=True, text=True, env=env, check=False
        )
        if result.returncode != 0:
            raise UserError(
                f"{' '.join(args[:2])} failed: {result.stderr.strip() or result.returncode}",
                hint="pass --no-git to skip git",
            )
    return True


def _move_into_place(staging: Path, target: Path) -> None:
    if target.is_dir():
        target.rmdir()  # empty (checked above)
    os.replace(staging, target)

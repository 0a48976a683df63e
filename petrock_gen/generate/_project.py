"""Project discovery: a petrock project is a folder whose `pyproject.toml` has `[tool.petrock]`.

[tool.petrock]
package = "shop"        # the import package, under `src/`
source = "src"          # optional, default "src"
tests = "tests"         # optional, default "tests"
"""

from __future__ import annotations

import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from petrock_gen.errors import UserError
from petrock_gen.generate._featurefile import load_feature_spec
from petrock_gen.generate._names import FeatureName, PackageName
from petrock_gen.generate._spec import FeatureSpec

__all__ = ["Project", "git_dirty_paths", "load_project", "refuse_dirty_tree"]

_SHOWN = 10  # uncommitted paths named in a refusal


@dataclass(frozen=True)
class Project:
    """A petrock project on disk: its root, import package and where sources and tests live."""

    root: Path
    package: PackageName
    source: str = "src"
    tests: str = "tests"

    @property
    def package_path(self) -> str:
        """`src/<pkg>`, relative to the root (posix)."""
        return str(PurePosixPath(self.source, self.package.snake))

    @property
    def registry_path(self) -> str:
        """The generated registry module, relative to the root."""
        return f"{self.package_path}/registry.py"

    def feature_path(self, feature: FeatureName, filename: str = "") -> str:
        """`src/<pkg>/features/<feature>[/<filename>]`, relative to the root (posix)."""
        base = f"{self.package_path}/features/{feature.snake}"
        return f"{base}/{filename}" if filename else base

    def feature_test_path(self, feature: FeatureName) -> str:
        """`tests/features/test_<feature>.py`, relative to the root."""
        return f"{self.tests}/features/test_{feature.snake}.py"

    def feature_module(self, feature: FeatureName) -> str:
        """The import path of a feature package, e.g. `shop.features.billing`."""
        return f"{self.package.snake}.features.{feature.snake}"

    def feature_names(self) -> list[FeatureName]:
        """The features present on disk (folders with a `feature.toml`), sorted by name."""
        features = self.root / self.package_path / "features"
        if not features.is_dir():
            return []
        found = (p.parent.name for p in features.glob("*/feature.toml"))
        return [FeatureName(n) for n in sorted(found)]

    def load_features(self) -> list[FeatureSpec]:
        """Every feature's spec, sorted by name."""
        specs: list[FeatureSpec] = []
        for name in self.feature_names():
            path = self.root / self.feature_path(name, "feature.toml")
            spec = load_feature_spec(path)
            if spec.name != name:
                raise UserError(
                    f"{path}: name = {spec.name.snake!r} but the folder is {name.snake!r}",
                    hint="a feature's name must match its folder",
                )
            specs.append(spec)
        return specs


def load_project(root: Path) -> Project:
    """Find the project containing `root` (it or a parent has `pyproject.toml` with
    `[tool.petrock]`); `UserError` when there is none or its table is wrong."""
    start = root.resolve()
    for folder in (start, *start.parents):
        pyproject = folder / "pyproject.toml"
        if not pyproject.is_file():
            continue
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise UserError(
                f"cannot read {pyproject}: {error}", hint="fix pyproject.toml, then run again"
            ) from None
        table = data.get("tool", {}).get("petrock")
        if table is None:
            continue
        return _project_from_table(folder, pyproject, table)
    raise UserError(
        f"not inside a petrock project: no pyproject.toml with [tool.petrock] in {start} or above",
        hint="create one with `petrock new project NAME`, or cd into your project",
    )


def _project_from_table(folder: Path, pyproject: Path, table: object) -> Project:
    if not isinstance(table, dict) or not isinstance(table.get("package"), str):
        raise UserError(
            f'{pyproject}: [tool.petrock] needs package = "<import name>"',
            hint='add for example package = "shop" under [tool.petrock]',
        )
    values = {
        key: table.get(key, default) for key, default in (("source", "src"), ("tests", "tests"))
    }
    for key, value in values.items():
        if not isinstance(value, str) or ".." in value or value.startswith("/"):
            raise UserError(
                f"{pyproject}: [tool.petrock] {key} must be a relative folder",
                hint=f'for example {key} = "{key}"',
            )
    try:
        package = PackageName.parse(table["package"])
    except UserError as error:
        raise UserError(f"{pyproject}: {error.message}", error.hint) from None
    return Project(folder, package, values["source"], values["tests"])


def git_dirty_paths(root: Path) -> list[str] | None:
    """The paths under `root` with uncommitted changes (untracked files included), as git prints
    them (relative to the top of the repository); empty when clean; None outside a git work tree."""
    try:
        result = subprocess.run(
            ["git", "status", "--porcelain", "-z", "--untracked-files=normal", "--", "."],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    if result.returncode != 0:
        return None
    paths: list[str] = []
    entries = iter(result.stdout.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        paths.append(entry[3:])
        if entry[0] in "RC":
            next(entries, None)  # a rename or copy is followed by its original path
    return paths


def refuse_dirty_tree(root: Path) -> None:
    """`UserError` naming the uncommitted paths when the git tree at `root` is dirty."""
    dirty = git_dirty_paths(root)
    if not dirty:
        return
    shown = ", ".join(dirty[:_SHOWN]) + (
        f" and {len(dirty) - _SHOWN} more" if len(dirty) > _SHOWN else ""
    )
    raise UserError(
        f"the git tree at {root} has uncommitted changes: {shown}",
        hint="commit or stash them first (or add them to .gitignore), or pass --allow-dirty",
    )

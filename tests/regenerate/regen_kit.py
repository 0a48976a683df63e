"""Helpers of the regenerate/inspect tests: projects on disk the way a user makes them.

Projects get a `pyproject.toml` with `[tool.petrock]` and features added with the generator's
`new_feature` (or specs written with `dump_feature_spec` for the big ones), then `regenerate`.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from petrock_gen import _paths
from petrock_gen.generate import Options, new_feature

PYPROJECT = """\
[project]
name = "shop"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["petrock-gen"]

[tool.petrock]
package = "shop"

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["src"]
addopts = ["--import-mode=importlib", "-p", "no:cacheprovider"]

[tool.ruff]
line-length = 100
target-version = "py311"
src = ["src", "tests"]

[tool.ruff.lint]
select = ["E", "F", "W", "I", "UP", "B", "SIM", "RUF"]
ignore = ["E501"]

[tool.ruff.lint.isort]
known-first-party = ["shop"]
"""


def make_project(root: Path) -> Path:
    """A fresh, empty petrock project (package `shop`) at `root`."""
    (root / "src/shop/features").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "src/shop/__init__.py").write_text('"""The shop app."""\n')
    (root / "src/shop/features/__init__.py").write_text('"""Features."""\n')
    return root


def add_feature(root: Path, name: str, *commands: str, periodic: bool = True) -> None:
    """`petrock new feature NAME --command SPEC...` through the generator's library function."""
    new_feature(root, name, commands, periodic=periodic, options=Options(allow_dirty=True))


TemplateEdit = Callable[[str, Callable[[str], str]], None]


@contextlib.contextmanager
def template_copy(folder: Path) -> Iterator[TemplateEdit]:
    """Point the generator at a copy of the templates in `folder`; yields `edit(name, change)`.

    The generator resolves `templates_dir()` when it builds its (cached) jinja environment, so
    this patches that lookup and clears the cache; petrock's template fingerprint reads the same
    folder, so regenerate sees an edit as a new template version.
    """
    import petrock_gen.generate._render as render

    copy = folder / "templates-copy"
    shutil.copytree(_paths.templates_dir(), copy)

    def edit(template: str, change: Callable[[str], str]) -> None:
        path = copy / "feature" / template
        before = path.read_text()
        after = change(before)
        assert after != before, f"the edit of {template} changed nothing"
        path.write_text(after)
        render._environment.cache_clear()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_paths, "templates_dir", lambda: copy)
        patch.setattr(render, "templates_dir", lambda: copy)
        render._environment.cache_clear()
        try:
            yield edit
        finally:
            render._environment.cache_clear()


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (posix relative path -> bytes)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }

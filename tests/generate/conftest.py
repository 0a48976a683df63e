"""Fixtures of the generator tests: fresh projects made by the real `new_project` (copier)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from petrock_gen.generate import new_project

# Golden files and the committed example are generated projects, not tests of petrock itself.
collect_ignore_glob = ["golden/*"]

# Applied per test (not a global profile, which would change other areas' tests): fixed examples
# in CI, random ones elsewhere.
HYPOTHESIS = settings(derandomize=bool(os.environ.get("CI")), max_examples=50, deadline=None)

GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@localhost",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@localhost",
}


@pytest.fixture(scope="session")
def _pristine_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("pristine")
    return new_project("shop", path=parent, git=False).project.root


@pytest.fixture
def project_root(_pristine_project: Path, tmp_path: Path) -> Path:
    """A new project `shop` (no git), copied from one rendered once per session."""
    root = tmp_path / "shop"
    shutil.copytree(_pristine_project, root)
    return root


@pytest.fixture
def git_project_root(project_root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Like `project_root`, as a git repository with everything committed."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    git(project_root, "init", "-q", "-b", "main")
    git(project_root, "add", "-A")
    git(project_root, "commit", "-q", "-m", "first")
    yield project_root


def git(root: Path, *args: str) -> str:
    """Run git in `root`; fail the test on an error."""
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return result.stdout


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (but .git) with its bytes, keyed by posix path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }

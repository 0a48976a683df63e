"""Fixtures of the regenerate/inspect tests: a small project and a template override.

A template change is simulated on a copy of the shipped templates folder, which the generator is
pointed at for the test only.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from regen_kit import TemplateEdit, add_feature, make_project

from petrock_gen import _paths

settings.register_profile(
    "petrock-regenerate-ci", derandomize=True, deadline=None, print_blob=True, max_examples=100
)
settings.register_profile("petrock-regenerate-dev", deadline=None, max_examples=100)
settings.load_profile("petrock-regenerate-ci" if os.environ.get("CI") else "petrock-regenerate-dev")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with two features: billing (two commands) and mail (one, no periodic work)."""
    root = make_project(tmp_path / "shop")
    add_feature(root, "billing", "charge:invoice_id=str,amount_cents=int", "refund:invoice_id=str")
    add_feature(root, "mail", "send:to=str,subject=str?", periodic=False)
    return root


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TemplateEdit]:
    """Point the generator at a copy of the templates; yields `edit(template, change)`.

    The generator resolves `templates_dir()` when it builds its (cached) jinja environment, so
    the test patches that lookup and clears the cache; petrock's template fingerprint reads the
    same folder, so regenerate sees the change as a new template version.
    """
    import petrock_gen.generate._render as render

    copy = tmp_path / "templates-copy"
    shutil.copytree(_paths.templates_dir(), copy)
    monkeypatch.setattr(_paths, "templates_dir", lambda: copy)
    monkeypatch.setattr(render, "templates_dir", lambda: copy)
    render._environment.cache_clear()

    def edit(template: str, change: Callable[[str], str]) -> None:
        path = copy / "feature" / template
        before = path.read_text()
        after = change(before)
        assert after != before, f"the edit of {template} changed nothing"
        path.write_text(after)
        render._environment.cache_clear()

    yield edit
    render._environment.cache_clear()

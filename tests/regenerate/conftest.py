"""Fixtures of the regenerate/inspect tests: a small project and a template override.

A template change is simulated on a copy of the shipped templates folder, which the generator is
pointed at for the test only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from regen_kit import TemplateEdit, add_feature, make_project, template_copy


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with two features: billing (two commands) and mail (one, no periodic work)."""
    root = make_project(tmp_path / "shop")
    add_feature(root, "billing", "charge:invoice_id=str,amount_cents=int", "refund:invoice_id=str")
    add_feature(root, "mail", "send:to=str,subject=str?", periodic=False)
    return root


@pytest.fixture
def templates(tmp_path: Path) -> Iterator[TemplateEdit]:
    """The generator renders from a copy of the templates; yields `edit(template, change)`."""
    with template_copy(tmp_path) as edit:
        yield edit

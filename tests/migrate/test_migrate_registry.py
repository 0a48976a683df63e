"""Every pattern module is listed in `PATTERNS`, documented with before/after, and has golden
cases: at least one rewrite (with `after.py`) and one no-op (without)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import petrock_gen.migrate.patterns as patterns_package
from petrock_gen.migrate import PATTERNS
from petrock_gen.migrate.patterns import select

from ._where import CASES

MODULES = sorted(m.name for m in pkgutil.iter_modules(patterns_package.__path__))


def test_every_module_is_listed_once_under_its_own_name() -> None:
    ids = [p.id for p in PATTERNS]
    assert sorted(ids) == MODULES
    assert len(set(ids)) == len(ids)


def test_loop_patterns_come_first() -> None:
    kinds = [p.kind for p in PATTERNS]
    assert kinds == sorted(kinds, key=lambda k: k != "loop")


@pytest.mark.parametrize("name", MODULES)
def test_module_is_documented_with_before_and_after(name: str) -> None:
    module = importlib.import_module(f"petrock_gen.migrate.patterns.{name}")
    doc = module.__doc__ or ""
    assert doc.startswith(f"{name}: ")
    assert "Before::" in doc and "After" in doc


@pytest.mark.parametrize("name", MODULES)
def test_module_has_rewrite_and_noop_cases(name: str) -> None:
    cases = [d for d in (CASES / name).iterdir() if (d / "before.py").exists()]
    assert any((d / "after.py").exists() for d in cases), "no rewrite case"
    assert any(not (d / "after.py").exists() for d in cases), "no no-op case"


def test_select_only_and_skip() -> None:
    assert [p.id for p in select(["if_chain"], None)] == ["if_chain"]
    assert "if_chain" not in [p.id for p in select(None, ["if_chain"])]
    with pytest.raises(ValueError, match="nope"):
        select(["nope"], None)


def test_cli_help_lists_every_pattern() -> None:
    from petrock_gen.cli._migrate import PATTERN_IDS

    assert ", ".join(p.id for p in PATTERNS) == PATTERN_IDS

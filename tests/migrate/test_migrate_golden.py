"""Golden cases: `cases/<pattern>/<case>/before.py` migrates to `after.py` byte for byte (no
`after.py`: must not change); outputs parse, are ruff-clean for undefined and unused names, and a
second run changes nothing; classes that are not migrated stay byte for byte."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import libcst
import pytest

from petrock_gen.migrate import migrate_source

from ._where import CASES

BEFORE = sorted(CASES.glob("*/*/before.py"))

# case -> class -> outcome: what each golden case must report.
EXPECTED: dict[str, dict[str, str]] = {
    "core/carried_local_refused": {"CarryWorker": "refused"},
    "core/comments": {"CommentedWorker": "migrated"},
    "core/import_placement": {"LabelWorker": "migrated"},
    "core/name_collisions": {"AlphaWorker": "migrated", "BetaWorker": "migrated"},
    "core/two_workers": {"FirstWorker": "migrated", "SecondWorker": "refused"},
    "dict_table/basic": {"TableWorker": "migrated"},
    "dict_table/membership": {"MemberTableWorker": "migrated"},
    "dict_table/non_literal_key": {"LooseTableWorker": "refused"},
    "for_loop/async_for": {"AsyncWorker": "migrated"},
    "for_loop/basic": {"TotalsWorker": "migrated"},
    "for_loop/bump_before": {"EagerWorker": "partial"},
    "for_loop/cursor_read_refused": {"PeekingWorker": "refused"},
    "for_loop/for_else": {"ElseWorker": "migrated"},
    "for_loop/for_else_break_refused": {"StoppingWorker": "refused"},
    "for_loop/generator_refused": {"SteppingWorker": "refused"},
    "for_loop/not_a_worker": {"Chores": "unchanged"},
    "for_loop/one_line_body_refused": {"OneLineWorker": "refused"},
    "for_loop/per_batch_local_refused": {"BatchingWorker": "refused"},
    "for_loop/periodic_before_loop": {"TickWorker": "migrated"},
    "for_loop/try_finally_cursor": {"FinallyWorker": "migrated"},
    "if_chain/control_flow": {"GuardedWorker": "partial"},
    "if_chain/inline_or_in": {"TagWorker": "migrated"},
    "if_chain/shared_code_try_default": {"AuditWorker": "migrated"},
    "if_chain/unrecognised_test": {"PrefixWorker": "refused"},
    "isinstance_chain/classvar_names": {"IndexWorker": "migrated"},
    "isinstance_chain/keyword_names": {"DocsWorker": "migrated"},
    "isinstance_chain/subclass_refused": {"OpenWorker": "refused"},
    "match_dispatch/class_patterns": {"ShelfWorker": "migrated"},
    "match_dispatch/class_patterns_refused": {
        "PositionalWorker": "refused",
        "ValueWorker": "refused",
        "ForeignWorker": "refused",
        "UndeclaredWorker": "refused",
    },
    "match_dispatch/guards_captures": {"RouterWorker": "migrated"},
    "match_dispatch/or_default": {"StockWorker": "migrated"},
    "match_dispatch/other_subject": {"AmountWorker": "refused"},
    "while_loop/basic": {"PollingWorker": "migrated"},
    "while_loop/no_fetch": {"Spinner": "unchanged"},
}


def case_id(path: Path) -> str:
    return f"{path.parent.parent.name}/{path.parent.name}"


def test_every_case_has_an_expectation() -> None:
    assert sorted(case_id(p) for p in BEFORE) == sorted(EXPECTED)


@pytest.mark.parametrize("before", BEFORE, ids=case_id)
def test_golden(before: Path) -> None:
    source = before.read_bytes().decode("utf-8")
    new, classes = migrate_source(source, str(before))
    after = before.with_name("after.py")
    expected = after.read_bytes().decode("utf-8") if after.exists() else source
    assert new == expected
    assert {c.name: c.outcome for c in classes} == EXPECTED[case_id(before)]
    libcst.parse_module(new)
    compile(new, str(after), "exec")
    again, second = migrate_source(new, str(before))
    assert again == new
    assert all(c.outcome in ("unchanged", "refused") for c in second)


@pytest.mark.parametrize("before", BEFORE, ids=case_id)
def test_classes_not_migrated_stay_byte_for_byte(before: Path) -> None:
    source = before.read_text(encoding="utf-8")
    new, classes = migrate_source(source, str(before))
    kept = {c.name for c in classes if c.outcome in ("refused", "unchanged")}
    lines = source.splitlines(keepends=True)
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef) and node.name in kept:
            assert node.end_lineno is not None
            assert "".join(lines[node.lineno - 1 : node.end_lineno]) in new


@pytest.mark.parametrize("before", BEFORE, ids=case_id)
def test_findings_name_real_lines(before: Path) -> None:
    source = before.read_text(encoding="utf-8")
    _, classes = migrate_source(source, str(before))
    count = len(source.splitlines())
    for cls in classes:
        assert cls.findings or cls.outcome == "migrated"
        assert all(1 <= f.line <= count for f in cls.findings), cls
        if cls.outcome == "partial":
            assert any(f.kind == "todo" for f in cls.findings)
        if cls.outcome in ("migrated", "partial"):
            assert sum("replay" in f.message for f in cls.findings) == 1


def test_outputs_have_no_undefined_or_unused_names() -> None:
    """Real ruff on every golden output (F821 undefined name, F841 unused local)."""
    outputs = sorted(str(p) for p in CASES.glob("*/*/after.py"))
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "F821,F841", *outputs],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout


def _isort_dirty(paths: list[str], cwd: Path) -> set[str]:
    """The files real `ruff check --select I001` flags, default settings (run from `cwd`, so only
    standard-library modules are known: everything else the cases import is third party)."""
    done = subprocess.run(
        [
            *(sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I001"),
            *("--output-format", "json", *paths),
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    return {str(Path(d["filename"]).resolve()) for d in json.loads(done.stdout)}


def test_outputs_keep_isort_clean_imports_clean(tmp_path: Path) -> None:
    """The runtime import lands where ruff's isort puts it: every output whose input passed
    `ruff check --select I001` passes it too."""
    befores = [str(p.resolve()) for p in BEFORE if p.with_name("after.py").exists()]
    dirty = _isort_dirty(befores, tmp_path)
    clean_afters = [str(Path(b).with_name("after.py")) for b in befores if b not in dirty]
    assert len(clean_afters) >= len(befores) - 2  # the cases are meant to be isort clean
    assert _isort_dirty(clean_afters, tmp_path) == set()


def test_generated_code_is_ruff_formatted() -> None:
    """The migrated outputs are formatted (two_workers keeps a refused class's odd spacing)."""
    outputs = sorted(str(p) for p in CASES.glob("*/*/after.py") if "two_workers" not in str(p))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--isolated",
            "--line-length=100",
            "--check",
            *outputs,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout


def test_comments_on_plumbing_are_reported() -> None:
    before = CASES / "core" / "comments" / "before.py"
    _, (result,) = migrate_source(before.read_text(encoding="utf-8"), str(before))
    dropped = [(f.line, f.message) for f in result.findings if "comment dropped" in f.message]
    assert dropped == [
        (21, "comment dropped with the loop plumbing: # Decode once."),
        (31, "comment dropped with the loop plumbing: # move on"),
    ]


@pytest.mark.parametrize("after", sorted(CASES.glob("*/*/after.py")), ids=lambda p: case_id(p))
def test_no_self_left_in_module_functions(after: Path) -> None:
    for node in ast.parse(after.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            assert "self" not in names, node.name


def test_class_pattern_refusals_name_the_reason() -> None:
    before = CASES / "match_dispatch" / "class_patterns_refused" / "before.py"
    _, classes = migrate_source(before.read_text(encoding="utf-8"), str(before))
    reasons = {c.name: (c.findings[0].line, c.findings[0].message) for c in classes}
    assert reasons == {
        "PositionalWorker": (
            25,
            "`case Opened(...)` has positional sub-patterns (`__match_args__`); use keywords",
        ),
        "ValueWorker": (40, "`Opened(key=...)` tests a value; only captures are migrated"),
        "ForeignWorker": (
            57,
            "class `Added` is not defined in this module with a literal command name",
        ),
        "UndeclaredWorker": (71, "`Opened` declares no field `owner` for `owner=...` to read"),
    }

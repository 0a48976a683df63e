"""Our import sort keys agree with ruff's own import sorting (real ruff, not a model of it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from petrock_gen._isort import member_sort_key

NAMES = st.from_regex(r"[A-Za-z][A-Za-z0_]{0,2}[0-9]{0,3}[A-Za-z0-9_]{0,3}", fullmatch=True).filter(
    lambda name: name not in {"as", "if", "in", "is", "or", "def", "for", "not", "and", "del"}
)


def _ruff_order(names: list[str], folder: Path) -> list[str]:
    source = folder / "imports.py"
    source.write_text(f"from x import {', '.join(names)}\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--select",
            "I",
            "--fix",
            "-q",
            "--line-length",
            "10000",
            str(source),
        ],
        check=False,
        capture_output=True,
    )
    line = source.read_text(encoding="utf-8").strip()
    return [name.strip() for name in line.removeprefix("from x import ").split(",")]


def test_numbers_sort_like_ruff(tmp_path: Path) -> None:
    names = ["A1State", "A01State", "A0", "A00", "A10", "A2", "A0State", "A00State", "a1", "B"]
    names += ["CONST_2", "CONST_10", "x007", "x7", "x08", "x8", "x10", "x9"]
    assert sorted(names, key=member_sort_key) == _ruff_order(names, tmp_path)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(names=st.lists(NAMES, min_size=2, max_size=6, unique=True))
def test_member_order_matches_ruff(tmp_path_factory: object, names: list[str]) -> None:
    folder = tmp_path_factory.mktemp("isort")  # type: ignore[attr-defined]
    assert sorted(names, key=member_sort_key) == _ruff_order(names, folder)

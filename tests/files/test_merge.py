"""The three-way merge: fixed cases and properties over generated edits."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from petrock_gen.files import has_conflict_markers, merge3

# Hypothesis settings of this module (no global profile): derandomized when `CI` is set.
CHECKS = settings(
    derandomize=bool(os.environ.get("CI")), deadline=None, max_examples=100, print_blob=True
)


def lines(*items: str) -> str:
    return "".join(f"{item}\n" for item in items)


BASE = lines("a", "b", "c", "d", "e")


@pytest.mark.parametrize(
    ("yours", "theirs", "expected"),
    [
        pytest.param(BASE, BASE, BASE, id="nothing-changed"),
        pytest.param(
            lines("a", "B", "c", "d", "e"), BASE, lines("a", "B", "c", "d", "e"), id="yours-only"
        ),
        pytest.param(
            BASE, lines("a", "b", "c", "D", "e"), lines("a", "b", "c", "D", "e"), id="theirs-only"
        ),
        pytest.param(
            lines("a", "B", "c", "d", "e"),
            lines("a", "b", "c", "D", "e"),
            lines("a", "B", "c", "D", "e"),
            id="both-apart",
        ),
        pytest.param(
            lines("a", "B", "c", "d", "e"),
            lines("a", "B", "c", "d", "e"),
            lines("a", "B", "c", "d", "e"),
            id="both-alike",
        ),
        pytest.param(
            lines("a", "b", "c", "d", "e", "mine"),
            lines("new", "a", "b", "c", "d", "e"),
            lines("new", "a", "b", "c", "d", "e", "mine"),
            id="inserts-at-both-ends",
        ),
        pytest.param(
            lines("a", "c", "d", "e"),
            lines("a", "b", "c", "d", "E"),
            lines("a", "c", "d", "E"),
            id="deletion-and-change",
        ),
    ],
)
def test_clean_merges(yours: str, theirs: str, expected: str) -> None:
    result = merge3(BASE, yours, theirs)
    assert result.conflicts == 0
    assert result.text == expected


def test_conflict_is_written_like_git_diff3() -> None:
    result = merge3(BASE, lines("a", "mine", "c", "d", "e"), lines("a", "theirs", "c", "d", "e"))
    assert result.conflicts == 1
    assert result.text == lines(
        "a",
        "<<<<<<< yours",
        "mine",
        "||||||| baseline",
        "b",
        "=======",
        "theirs",
        ">>>>>>> petrock",
        "c",
        "d",
        "e",
    )
    assert has_conflict_markers(result.text)


def test_empty_base_keeps_common_lines_outside_the_markers() -> None:
    yours = lines("import x", "", "def f():", "    return 1")
    theirs = lines("import x", "", "def f():", "    return 2")
    result = merge3("", yours, theirs)
    assert result.conflicts == 1
    assert result.text.startswith(lines("import x", "", "def f():", "<<<<<<< yours"))
    assert "||||||| baseline\n=======\n" in result.text


def test_missing_final_newline_keeps_markers_on_their_own_lines() -> None:
    result = merge3("a\nb\n", "a\nmine", "a\ntheirs\n")
    assert result.conflicts == 1
    assert "mine\n||||||| baseline\n" in result.text


def test_marker_detection_ignores_rst_underlines() -> None:
    assert not has_conflict_markers("Title\n=======\n\ntext <<<<<<< inline\n")
    assert has_conflict_markers("x\n<<<<<<< yours\n")
    assert has_conflict_markers(">>>>>>> petrock\n")


# --- properties -------------------------------------------------------------------------------

KINDS = ("keep", "yours", "theirs", "same", "both")


@dataclass
class Case:
    base: str
    yours: str
    theirs: str
    expected: str
    conflicts: int
    your_lines: list[str]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """Segments of distinct base lines, each kept, changed by one side, or by both.

    Every changed segment is followed by an untouched line, so changes are apart exactly when
    they are in different segments; the expected merge can then be written down directly.
    """
    counter = iter(range(10_000))
    n_segments = draw(st.integers(0, 8))
    base: list[str] = []
    yours: list[str] = []
    theirs: list[str] = []
    expected: list[str] = []
    your_added: list[str] = []
    conflicts = 0
    for _ in range(n_segments):
        kind = draw(st.sampled_from(KINDS))
        seg = [f"base {next(counter)}\n" for _ in range(draw(st.integers(0, 3)))]
        if kind == "keep" and not seg:
            seg = [f"base {next(counter)}\n"]

        def fresh(tag: str) -> list[str]:
            return [f"{tag} {next(counter)}\n" for _ in range(draw(st.integers(0, 3)))]

        y, t = list(seg), list(seg)
        if kind == "yours":
            y = fresh("yours")
            y = y if y != seg else [*seg, f"yours {next(counter)}\n"]
        elif kind == "theirs":
            t = fresh("theirs")
            t = t if t != seg else [*seg, f"theirs {next(counter)}\n"]
        elif kind == "same":
            y = t = [*fresh("same"), f"same {next(counter)}\n"]
        elif kind == "both":
            y = [*fresh("yours"), f"yours {next(counter)}\n"]
            t = [*fresh("theirs"), f"theirs {next(counter)}\n"]
        base += seg
        yours += y
        theirs += t
        your_added += [line for line in y if line.startswith("yours")]
        if kind == "both":
            conflicts += 1
            expected += ["<<<<<<< yours\n", *y, "||||||| baseline\n", *seg, "=======\n", *t]
            expected.append(">>>>>>> petrock\n")
        else:
            expected += t if kind == "theirs" else y
        sep = f"sep {next(counter)}\n"
        for part in (base, yours, theirs, expected):
            part.append(sep)
    return Case(
        "".join(base), "".join(yours), "".join(theirs), "".join(expected), conflicts, your_added
    )


@CHECKS
@given(cases())
def test_merge_matches_the_expected_result(case: Case) -> None:
    result = merge3(case.base, case.yours, case.theirs)
    assert result.text == case.expected
    assert result.conflicts == case.conflicts


@CHECKS
@given(cases())
def test_user_lines_are_always_kept(case: Case) -> None:
    result = merge3(case.base, case.yours, case.theirs).text.splitlines(keepends=True)
    for line in case.your_lines:
        assert line in result


@CHECKS
@given(cases())
def test_merging_again_changes_nothing(case: Case) -> None:
    first = merge3(case.base, case.yours, case.theirs)
    # Next run: the new render is the baseline and renders the same again.
    again = merge3(case.theirs, first.text, case.theirs)
    assert again.text == first.text


@CHECKS
@given(st.lists(st.sampled_from(["a\n", "b\n", "\n", "pass\n", "x = 1\n"]), max_size=12), st.data())
def test_trivial_sides(base_lines: list[str], data: st.DataObject) -> None:
    base = "".join(base_lines)
    other = "".join(data.draw(st.lists(st.sampled_from(["a\n", "c\n", "\n"]), max_size=12)))
    assert merge3(base, base, other).text == other
    assert merge3(base, other, base).text == other
    assert merge3(base, other, other).text == other


CODE_LINES = ["\n", "    pass\n", "    return None\n", "def f():\n", "x = 1\n", "# note\n", "\n"]


@CHECKS
@given(
    st.lists(st.sampled_from(CODE_LINES), max_size=20),
    st.lists(st.tuples(st.integers(0, 20), st.sampled_from(CODE_LINES)), max_size=6),
    st.lists(st.integers(0, 20), max_size=4),
    st.lists(st.tuples(st.integers(0, 20), st.sampled_from(CODE_LINES)), max_size=6),
)
def test_user_lines_survive_repetitive_code(
    base_lines: list[str],
    template_inserts: list[tuple[int, str]],
    template_deletes: list[int],
    user_inserts: list[tuple[int, str]],
) -> None:
    """With many repeated lines (blank lines, `pass`), every line the user added is still there."""
    theirs = list(base_lines)
    for at in template_deletes:
        if theirs:
            del theirs[at % len(theirs)]
    for at, line in template_inserts:
        theirs.insert(at, line)
    yours = list(base_lines)
    added = [f"user_{i} = {i}\n" for i in range(len(user_inserts))]
    for (at, _), line in zip(user_inserts, added, strict=True):
        yours.insert(at, line)
    result = merge3("".join(base_lines), "".join(yours), "".join(theirs))
    merged = result.text.splitlines(keepends=True)
    for line in added:
        assert merged.count(line) == 1
    if result.conflicts == 0:
        assert merge3("".join(theirs), result.text, "".join(theirs)).text == result.text

"""Three-way merge of text files, line by line, with git-style conflict markers.

`merge3(base, yours, theirs)` follows the classic diff3 algorithm: lines where base, yours and theirs
all agree are sync points; between two sync points a region changed on one side only takes that
side, a region changed the same way on both sides is taken once, and a region changed differently
on both sides is a conflict, written like `git merge --conflict=diff3`:

    <<<<<<< yours
    (the user's lines)
    ||||||| baseline
    (the last render)
    =======
    (the new render)
    >>>>>>> petrock

A conflict whose baseline part is empty (both sides inserted lines at the same place, or there was
no baseline at all) is refined: lines both sides added alike are kept once, outside the markers, so
only the lines that really differ are in conflict.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = [
    "MARKER_BASE",
    "MARKER_END",
    "MARKER_SEP",
    "MARKER_START",
    "MergeResult",
    "has_conflict_markers",
    "merge3",
]

MARKER_START = "<<<<<<< yours"
MARKER_BASE = "||||||| baseline"
MARKER_SEP = "======="
MARKER_END = ">>>>>>> petrock"

_MARKER_LINE = re.compile(r"^(<{7}|>{7})(?: |$)", re.MULTILINE)


@dataclass(frozen=True)
class MergeResult:
    """The merged text and how many conflict blocks it contains."""

    text: str
    conflicts: int


def has_conflict_markers(text: str) -> bool:
    """True when `text` still holds `<<<<<<<` or `>>>>>>>` conflict-marker lines."""
    return _MARKER_LINE.search(text) is not None


def merge3(base: str, yours: str, theirs: str) -> MergeResult:
    """Merge `yours` and `theirs`, both derived from `base`; conflicts get diff3-style markers."""
    if yours == theirs or theirs == base:
        return MergeResult(yours, 0)
    if yours == base:
        return MergeResult(theirs, 0)
    b, y, t = _lines(base), _lines(yours), _lines(theirs)
    out: list[str] = []
    conflicts = 0
    for kind, base_part, your_part, their_part in _regions(b, y, t):
        if kind == "conflict":
            conflicts += _write_conflict(out, base_part, your_part, their_part)
        else:
            out.extend(your_part if kind == "yours" else their_part)
    return MergeResult("".join(out), conflicts)


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


_Region = tuple[str, Sequence[str], Sequence[str], Sequence[str]]


def _regions(base: list[str], yours: list[str], theirs: list[str]) -> Iterator[_Region]:
    """Yield (kind, base part, your part, their part); kind: yours, theirs or conflict."""
    iz = iy = it = 0
    for z0, z1, y0, y1, t0, t1 in _sync_regions(base, yours, theirs):
        b_part, y_part, t_part = base[iz:z0], yours[iy:y0], theirs[it:t0]
        if y_part or t_part:
            if y_part == t_part or t_part == b_part:
                yield "yours", b_part, y_part, t_part
            elif y_part == b_part:
                yield "theirs", b_part, y_part, t_part
            else:
                yield "conflict", b_part, y_part, t_part
        if z1 > z0:
            yield "yours", base[z0:z1], yours[y0:y1], theirs[t0:t1]
        iz, iy, it = z1, y1, t1


def _sync_regions(
    base: list[str], yours: list[str], theirs: list[str]
) -> list[tuple[int, int, int, int, int, int]]:
    """Ranges (base, yours, theirs) where all three texts agree, ending with an empty sentinel."""
    y_matches = SequenceMatcher(None, base, yours, autojunk=False).get_matching_blocks()
    t_matches = SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
    regions: list[tuple[int, int, int, int, int, int]] = []
    iy = it = 0
    while iy < len(y_matches) and it < len(t_matches):
        y_base, y_at, y_len = y_matches[iy]
        t_base, t_at, t_len = t_matches[it]
        start, end = max(y_base, t_base), min(y_base + y_len, t_base + t_len)
        if start < end:
            y_start, t_start = y_at + start - y_base, t_at + start - t_base
            regions.append(
                (start, end, y_start, y_start + end - start, t_start, t_start + end - start)
            )
        if y_base + y_len < t_base + t_len:
            iy += 1
        else:
            it += 1
    n_base, n_yours, n_theirs = len(base), len(yours), len(theirs)
    regions.append((n_base, n_base, n_yours, n_yours, n_theirs, n_theirs))
    return regions


def _write_conflict(
    out: list[str], base: Sequence[str], yours: Sequence[str], theirs: Sequence[str]
) -> int:
    """Append one conflict (refined when the baseline part is empty); return how many blocks."""
    if base:
        _write_block(out, base, yours, theirs)
        return 1
    blocks = 0
    matcher = SequenceMatcher(None, list(yours), list(theirs), autojunk=False)
    for tag, y0, y1, t0, t1 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(yours[y0:y1])
        else:
            _write_block(out, (), yours[y0:y1], theirs[t0:t1])
            blocks += 1
    return blocks


def _write_block(
    out: list[str], base: Sequence[str], yours: Sequence[str], theirs: Sequence[str]
) -> None:
    out.append(MARKER_START + "\n")
    out.extend(_terminated(yours))
    out.append(MARKER_BASE + "\n")
    out.extend(_terminated(base))
    out.append(MARKER_SEP + "\n")
    out.extend(_terminated(theirs))
    out.append(MARKER_END + "\n")


def _terminated(lines: Sequence[str]) -> list[str]:
    """The lines, the last one given a newline if it lacked one (so the markers stay on their own)."""
    result = list(lines)
    if result and not result[-1].endswith(("\n", "\r")):
        result[-1] += "\n"
    return result

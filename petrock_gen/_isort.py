"""Sort keys that reproduce ruff's import sorting (isort rules, ruff's defaults).

Members of `from x import ...`: CONSTANTS first, then Classes, then the rest; compared
case-insensitively, then case-sensitively, both in ruff's natural order (the `natord` algorithm:
digit runs compare as numbers, `A2` before `A10`; a run with a leading zero compares digit by digit
from the left, so `A01State` sorts before `A1State` and `A0State` before `A00State`). Modules are
compared the same way.
"""

from __future__ import annotations

from functools import total_ordering

__all__ = ["member_sort_key", "module_sort_key"]


@total_ordering
class _Natural:
    """A string ordered by natord's `compare` (the crate ruff sorts imports with)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Natural) and self.text == other.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __lt__(self, other: _Natural) -> bool:
        return _compare(self.text, other.text) < 0


def _compare(left: str, right: str) -> int:
    i = j = 0
    while i < len(left) and j < len(right):
        a, b = left[i], right[j]
        if a.isdigit() and b.isdigit():
            compare = _compare_left if a == "0" or b == "0" else _compare_right
            order, i, j = compare(left, i, right, j)
            if order:
                return order
            continue
        if a != b:
            return -1 if a < b else 1
        i, j = i + 1, j + 1
    return (i < len(left)) - (j < len(right))


def _compare_left(left: str, i: int, right: str, j: int) -> tuple[int, int, int]:
    """Digit runs with a leading zero: compared digit by digit, like decimal fractions."""
    while True:
        a_digit = i < len(left) and left[i].isdigit()
        b_digit = j < len(right) and right[j].isdigit()
        if not a_digit or not b_digit:
            return (a_digit - b_digit), i, j
        if left[i] != right[j]:
            return (-1 if left[i] < right[j] else 1), i, j
        i, j = i + 1, j + 1


def _compare_right(left: str, i: int, right: str, j: int) -> tuple[int, int, int]:
    """Digit runs without a leading zero: the longer run is the larger number."""
    bias = 0
    while True:
        a_digit = i < len(left) and left[i].isdigit()
        b_digit = j < len(right) and right[j].isdigit()
        if not a_digit or not b_digit:
            return (a_digit - b_digit) or bias, i, j
        if not bias and left[i] != right[j]:
            bias = -1 if left[i] < right[j] else 1
        i, j = i + 1, j + 1


def member_sort_key(alias: str) -> tuple[int, _Natural, _Natural, str]:
    """Where `alias` (a name, or `name as other`) goes among the names of one import."""
    name, _, asname = alias.partition(" as ")
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return (kind, _Natural(name.lower()), _Natural(name), asname)


def module_sort_key(module: str) -> tuple[_Natural, _Natural]:
    """Where `module` goes among the imports of one section."""
    return (_Natural(module.lower()), _Natural(module))

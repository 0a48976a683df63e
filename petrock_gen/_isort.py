"""Sort keys that reproduce ruff's import sorting (isort rules, ruff's defaults).

Members of `from x import ...`: CONSTANTS first, then Classes, then the rest; compared
case-insensitively, then case-sensitively, both in ruff's natural order (the `natord` algorithm).
In identifiers that order splits into text and digit runs: a digit sorts before any other
identifier character; a digit run without a leading zero compares as a number (`A2` before `A10`);
a run with a leading zero compares digit by digit from the left and before any run without one
(`A01State` before `A1State`, `A0State` before `A00State`). Modules are compared the same way.
"""

from __future__ import annotations

import re

__all__ = ["member_sort_key", "module_sort_key"]

_RUNS = re.compile(r"(\d+)")

NaturalKey = tuple[tuple[int, int | str], ...]


def _natural(text: str) -> NaturalKey:
    key: list[tuple[int, int | str]] = []
    for index, run in enumerate(_RUNS.split(text)):
        if not run:
            continue
        if index % 2 == 0:
            key.append((2, run))
        elif run[0] == "0":
            key.append((0, run))
        else:
            key.append((1, int(run)))
    return tuple(key)


def member_sort_key(alias: str) -> tuple[int, NaturalKey, NaturalKey, str]:
    """Where `alias` (a name, or `name as other`) goes among the names of one import."""
    name, _, asname = alias.partition(" as ")
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return (kind, _natural(name.lower()), _natural(name), asname)


def module_sort_key(module: str) -> tuple[NaturalKey, NaturalKey]:
    """Where `module` goes among the imports of one section."""
    return (_natural(module.lower()), _natural(module))

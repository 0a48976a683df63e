"""Sort keys that reproduce ruff's import sorting (isort rules, ruff's defaults).

Members of `from x import ...`: CONSTANTS first, then Classes, then the rest; compared
case-insensitively with digit runs as numbers (`A2` before `A10`), ties broken by the lower-case
text (`A01State` before `A1State`), then the exact text. Modules are compared the same way.
"""

from __future__ import annotations

import re

__all__ = ["member_sort_key", "module_sort_key"]

NaturalKey = tuple[tuple[int, str], ...]


def _natural(text: str) -> NaturalKey:
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part)
        for part in re.split(r"(\d+)", text.lower())
        if part
    )


def member_sort_key(alias: str) -> tuple[int, NaturalKey, str, str]:
    """Where `alias` (a name, or `name as other`) goes among the names of one import."""
    name = alias.split(" as ")[0]
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return (kind, _natural(name), name.lower(), name)


def module_sort_key(module: str) -> tuple[NaturalKey, str, str]:
    """Where `module` goes among the imports of one section."""
    return (_natural(module), module.lower(), module)

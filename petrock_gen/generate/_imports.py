"""Import blocks laid out exactly as ruff's isort and formatter would (so output needs no fixing).

Sections: standard library, third party, first party (the project's package), each sorted with
`import x` lines before `from x import ...` lines, names ordered constants, classes, then the rest.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from petrock_gen._isort import member_sort_key, module_sort_key

__all__ = ["LINE_LENGTH", "import_block", "import_line"]

LINE_LENGTH = 100


def import_line(module: str, names: Iterable[str]) -> str:
    """`from module import a, b`, wrapped one name per line when longer than the line length."""
    ordered = sorted(set(names), key=member_sort_key)
    line = f"from {module} import {', '.join(ordered)}"
    if len(line) <= LINE_LENGTH:
        return line
    body = "".join(f"    {name},\n" for name in ordered)
    return f"from {module} import (\n{body})"


def import_block(imports: Iterable[tuple[str, str | None]], first_party: str) -> str:
    """The import block (no `__future__` line) of `(module, name)` pairs; name None is
    `import module`. Sections are separated by one blank line."""
    by_module: dict[str, set[str]] = {}
    plain: set[str] = set()
    for module, name in imports:
        if name is None:
            plain.add(module)
        else:
            by_module.setdefault(module, set()).add(name)
    sections: list[list[str]] = [[], [], []]
    for module in sorted(plain, key=module_sort_key):
        sections[_section(module, first_party)].append(f"import {module}")
    for module in sorted(by_module, key=module_sort_key):
        sections[_section(module, first_party)].append(import_line(module, by_module[module]))
    return "\n\n".join("\n".join(lines) for lines in sections if lines)


def _section(module: str, first_party: str) -> int:
    top = module.split(".")[0]
    if top in sys.stdlib_module_names:
        return 0
    return 2 if top == first_party else 1

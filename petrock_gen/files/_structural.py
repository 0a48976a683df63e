"""Structural extension of the user's files with libcst: add what the new render brings, remove nothing.

A `user` file (handlers, state, periodic work, tests) belongs to the user once created. When a new
render has top-level functions or classes, or imported names, that were not in the last render
(the baseline) and that the user's file does not bind, they are inserted:

- `from x import a` names join the user's existing `from x import ...` statement when there is one,
  otherwise a new import statement goes after the user's last top-level import;
- new functions and classes go right after the user's last top-level def or class, in render order,
  with the blank lines and comments the render gave them.

Names the last render had and the new one dropped are reported as orphaned; they stay in the file.
Everything the user wrote keeps its exact bytes (libcst round-trips source exactly).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from petrock_gen.files._imports import add_imports
from petrock_gen.files._shape import NotParseableError, Shape, shape_of

if TYPE_CHECKING:
    import libcst as cst

__all__ = ["Extension", "NotParseableError", "extend_user_file"]


@dataclass(frozen=True)
class Extension:
    """The outcome: new text (None when nothing is added), the functions and classes added, the
    orphaned ones (dropped by the render, still in the file), and the names newly imported."""

    text: str | None
    added: tuple[str, ...]
    orphaned: tuple[str, ...]
    imported: tuple[str, ...] = ()


def extend_user_file(current: str, render: str, baseline: str | None) -> Extension:
    """Extend `current` (the user's file) with what `render` adds over `baseline` (None: unknown).

    The decision is made on `ast` shapes (fast); libcst only runs when something is added.
    """
    mine = shape_of(current)
    new = shape_of(render)
    try:
        old = shape_of(baseline) if baseline is not None else Shape()
    except NotParseableError:
        old = Shape()
    new_defs = [n for n in new.defs if n not in mine.bound and n not in old.defs]
    new_from = [
        imp
        for imp in new.from_imports
        if imp not in old.from_imports and (imp[2] or imp[1]) not in mine.bound
    ]
    new_imports = [
        imp
        for imp in new.imports
        if imp not in old.imports and (imp[1] or imp[0].split(".")[0]) not in mine.bound
    ]
    orphaned = tuple(n for n in old.defs if n not in new.defs and n in mine.defs)
    if not (new_defs or new_from or new_imports):
        return Extension(None, (), orphaned)
    text = _insert(current, render, new_defs, new_from, new_imports)
    imported = tuple(a or n for _, n, a in new_from) + tuple(a or n for n, a in new_imports)
    return Extension(text, tuple(new_defs), orphaned, imported)


def _insert(
    current: str,
    render: str,
    new_defs: Sequence[str],
    new_from: Sequence[tuple[str, str, str | None]],
    new_imports: Sequence[tuple[str, str | None]],
) -> str:
    import libcst as cst

    user = cst.parse_module(current)
    module = cst.parse_module(render)
    rendered = {
        stmt.name.value: stmt
        for stmt in module.body
        if isinstance(stmt, cst.FunctionDef | cst.ClassDef)
    }
    body = add_imports(list(user.body), module, new_from, new_imports)
    body = _add_defs(body, [rendered[n] for n in new_defs])
    return user.with_changes(body=body).code


def _add_defs(
    body: list[cst.BaseStatement], defs: Sequence[cst.BaseStatement]
) -> list[cst.BaseStatement]:
    import libcst as cst

    if not defs:
        return body
    last_def = max(
        (i for i, s in enumerate(body) if isinstance(s, cst.FunctionDef | cst.ClassDef)),
        default=len(body) - 1,
    )
    return body[: last_def + 1] + list(defs) + body[last_def + 1 :]

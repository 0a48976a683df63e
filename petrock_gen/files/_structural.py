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
    rendered = {
        stmt.name.value: stmt
        for stmt in cst.parse_module(render).body
        if isinstance(stmt, cst.FunctionDef | cst.ClassDef)
    }
    body = _add_imports(list(user.body), new_from, new_imports)
    body = _add_defs(body, [rendered[n] for n in new_defs])
    return user.with_changes(body=body).code


def _module_name(node: cst.ImportFrom) -> str:
    import libcst as cst

    dots = "." * len(node.relative)
    if node.module is None:
        return dots
    return dots + cst.Module(body=[]).code_for_node(node.module)


def _is_import_line(stmt: cst.BaseStatement) -> bool:
    import libcst as cst

    return isinstance(stmt, cst.SimpleStatementLine) and any(
        isinstance(s, cst.Import | cst.ImportFrom) for s in stmt.body
    )


def _add_imports(
    body: list[cst.BaseStatement],
    new_from: Sequence[tuple[str, str, str | None]],
    new_imports: Sequence[tuple[str, str | None]],
) -> list[cst.BaseStatement]:
    import libcst as cst

    pending: dict[str, list[tuple[str, str | None]]] = {}
    for module, name, asname in new_from:
        pending.setdefault(module, []).append((name, asname))
    for index, stmt in enumerate(body):
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        smalls = list(stmt.body)
        for at, small in enumerate(smalls):
            if (
                isinstance(small, cst.ImportFrom)
                and not isinstance(small.names, cst.ImportStar)
                and _module_name(small) in pending
            ):
                names = _extended_names(small, pending.pop(_module_name(small)))
                smalls[at] = small.with_changes(names=names)
                body[index] = stmt.with_changes(body=smalls)
                break
    lines = [_import_source(m, names) for m, names in pending.items()]
    lines += [f"import {n}" + (f" as {a}" if a else "") for n, a in new_imports]
    if not lines:
        return body
    statements = [cst.parse_statement(line + "\n") for line in lines]
    last_import = max((i for i, s in enumerate(body) if _is_import_line(s)), default=-1)
    at = last_import + 1 if last_import >= 0 else _after_docstring(body)
    return body[:at] + statements + body[at:]


def _extended_names(
    node: cst.ImportFrom, extra: Sequence[tuple[str, str | None]]
) -> list[cst.ImportAlias]:
    """The names of `node` plus `extra`, separated the way the user separated theirs."""
    import libcst as cst

    assert not isinstance(node.names, cst.ImportStar)
    names = list(node.names)
    trailing = names[-1].comma
    sep: cst.Comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if len(names) >= 2 and isinstance(names[-2].comma, cst.Comma):
        sep = names[-2].comma
    names[-1] = names[-1].with_changes(comma=sep)
    for name, asname in extra:
        alias = cst.ImportAlias(
            name=cst.parse_expression(name),  # type: ignore[arg-type]
            asname=cst.AsName(name=cst.Name(asname)) if asname else None,
            comma=sep,
        )
        names.append(alias)
    names[-1] = names[-1].with_changes(comma=trailing)
    return names


def _import_source(module: str, names: Sequence[tuple[str, str | None]]) -> str:
    listed = ", ".join(n + (f" as {a}" if a else "") for n, a in names)
    return f"from {module} import {listed}"


def _after_docstring(body: list[cst.BaseStatement]) -> int:
    import libcst as cst

    if body and isinstance(body[0], cst.SimpleStatementLine):
        first = body[0].body[0]
        if isinstance(first, cst.Expr) and isinstance(first.value, cst.SimpleString):
            return 1
    return 0


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

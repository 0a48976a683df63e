"""Adding `from petrock_runtime import ...` where ruff's isort (`I001`) puts it.

For a default ruff configuration, so a migrated file passes `ruff check --select I` when the
original did: the runtime is a third-party module, so its import joins the third-party section of
the module's leading import block (after its `import x` lines, sorted among its `from x import`
lines), or starts that section (one blank line around it) between the standard library and the
first-party / relative imports. Names are sorted the way isort sorts them, and an aliased name
gets a line of its own (`combine-as-imports` is off by default). An existing
`from petrock_runtime import` line is extended instead; names already imported are not
repeated. A new block is followed by the blank lines isort wants (two before a `class`/`def`).

Sections follow ruff's defaults: `__future__`, the standard library, third party, first party
(a top-level name found as a directory or `.py` file in the project root or its `src/`, the
project root being the nearest folder with a `pyproject.toml` or ruff configuration; or the
package the file itself sits in), then relative imports. `AddImportsVisitor` is not used: on a
three-line module it took 36 ms, more than parsing a whole 100-line worker file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import libcst as cst
import libcst.helpers

from petrock_gen._isort import member_sort_key, module_sort_key

__all__ = ["add_imports", "first_party_of"]

FUTURE, STDLIB, THIRD, FIRST, LOCAL = range(5)
_CONFIGS = ("pyproject.toml", "ruff.toml", ".ruff.toml")
_STDLIB = frozenset(sys.stdlib_module_names)

IsFirstParty = Callable[[str], bool]


@dataclass(frozen=True)
class _Entry:
    """One import line of the block: its isort section and sort key."""

    section: int
    key: tuple[object, ...]


def _is_import(stmt: cst.BaseStatement) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, cst.Import | cst.ImportFrom) for s in stmt.body
    )


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _from_module(stmt: cst.BaseStatement, module: str) -> cst.ImportFrom | None:
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
        return None
    node = stmt.body[0]
    if (
        isinstance(node, cst.ImportFrom)
        and node.module is not None
        and not node.relative
        and not isinstance(node.names, cst.ImportStar)
        and libcst.helpers.get_full_name_for_node(node.module) == module
    ):
        return node
    return None


def _spelled(alias: cst.ImportAlias) -> tuple[str, str | None]:
    name = libcst.helpers.get_full_name_for_node(alias.name) or ""
    asname = alias.asname.name if alias.asname is not None else None
    return name, asname.value if isinstance(asname, cst.Name) else None


def _member_key(name: str, alias: str | None) -> tuple[object, ...]:
    """isort's `order-by-type`: CONSTANTS, then Classes, then variables, in ruff's natural order."""
    return member_sort_key(f"{name} as {alias}" if alias else name)


def _entry(stmt: cst.BaseStatement, first_party: IsFirstParty) -> _Entry:
    assert isinstance(stmt, cst.SimpleStatementLine)
    node = stmt.body[0]
    if isinstance(node, cst.Import):
        module = libcst.helpers.get_full_name_for_node(node.names[0].name) or ""
        return _Entry(_section(module, first_party), (0, *module_sort_key(module)))
    assert isinstance(node, cst.ImportFrom)
    if node.relative:
        return _Entry(LOCAL, ())
    name = (libcst.helpers.get_full_name_for_node(node.module) if node.module else "") or ""
    first = () if isinstance(node.names, cst.ImportStar) else _member_key(*_spelled(node.names[0]))
    return _Entry(_section(name, first_party), (1, *module_sort_key(name), first))


def _section(module: str, first_party: IsFirstParty) -> int:
    top = module.split(".")[0]
    if top == "__future__":
        return FUTURE
    if top in _STDLIB:
        return STDLIB
    if top != "petrock_gen" and first_party(top):
        return FIRST
    return THIRD


def add_imports(
    module: cst.Module,
    source: str,
    names: Sequence[tuple[str, str | None]],
    first_party: IsFirstParty = lambda name: False,
) -> cst.Module:
    """`from <source> import name [as alias], ...` for every (name, alias) not imported yet.

    `source` is treated as a third-party module; `first_party(top_level_name)` tells the module's
    own imports apart (see `first_party_of`).
    """
    body: list[cst.BaseStatement] = list(module.body)
    missing = sorted(set(names), key=lambda pair: _member_key(*pair))
    for index, stmt in enumerate(body):
        existing = _from_module(stmt, source)
        if existing is not None:
            assert not isinstance(existing.names, cst.ImportStar)
            have = {_spelled(a) for a in existing.names}
            missing = [pair for pair in missing if pair not in have]
            plain = [pair for pair in missing if pair[1] is None]
            if plain and all(a.asname is None for a in existing.names):
                body[index] = _extend(stmt, existing, plain)
                missing = [pair for pair in missing if pair[1] is not None]
    if not missing:
        return module.with_changes(body=body)
    combined = [n for n, alias in missing if alias is None]
    lines = [f"from {source} import {', '.join(combined)}"] if combined else []
    lines += [f"from {source} import {n} as {alias}" for n, alias in missing if alias is not None]
    for line in lines:
        body = _insert(body, cst.parse_statement(line + "\n"), source, first_party)
    return module.with_changes(body=body)


def _extend(
    stmt: cst.BaseStatement, existing: cst.ImportFrom, plain: list[tuple[str, str | None]]
) -> cst.BaseStatement:
    """The existing line with `plain` added: sorted in if it was sorted, else appended."""
    old = [_spelled(a) for a in existing.names]  # type: ignore[union-attr]
    keys = [_member_key(*pair) for pair in old]
    merged = [*old, *plain]
    if keys == sorted(keys):
        merged.sort(key=lambda pair: _member_key(*pair))
    text = ", ".join(n if a is None else f"{n} as {a}" for n, a in merged)
    exploded = existing.rpar is not None and "\n" in cst.Module([]).code_for_node(existing)
    line = f"from {libcst.helpers.get_full_name_for_node(existing.module)} import "  # type: ignore[arg-type]
    if exploded or len(line) + len(text) > 88:
        inner = "".join(f"    {n if a is None else f'{n} as {a}'},\n" for n, a in merged)
        new = cst.parse_statement(f"{line}(\n{inner})\n")
    else:
        new = cst.parse_statement(f"{line}{text}\n")
    assert isinstance(stmt, cst.SimpleStatementLine)
    return new.with_changes(leading_lines=stmt.leading_lines)


def _split(lines: Sequence[cst.EmptyLine]) -> tuple[list[cst.EmptyLine], list[cst.EmptyLine]]:
    """(blank lines before the first comment, the rest)."""
    for index, line in enumerate(lines):
        if line.comment is not None:
            return list(lines[:index]), list(lines[index:])
    return list(lines), []


def _insert(
    body: list[cst.BaseStatement], new: cst.BaseStatement, source: str, first_party: IsFirstParty
) -> list[cst.BaseStatement]:
    start = 1 if body and _is_docstring(body[0]) else 0
    stop = start
    while stop < len(body) and _is_import(body[stop]):
        stop += 1
    entries = [_entry(s, first_party) for s in body[start:stop]]
    ours = _entry(new, first_party)
    at = next(
        (i for i, e in enumerate(entries) if (e.section, e.key) > (ours.section, ours.key)),
        len(entries),
    )
    prev = entries[at - 1] if at > 0 else None
    after = body[start + at] if start + at < len(body) else None
    assert isinstance(new, cst.SimpleStatementLine)
    if prev is not None:
        lead = [] if prev.section == THIRD else [cst.EmptyLine()]
    elif entries and after is not None:
        lead = _split(after.leading_lines)[0]  # type: ignore[attr-defined]
    else:
        lead = [cst.EmptyLine()] if start else []
    new = new.with_changes(leading_lines=lead)
    index = start + at
    if after is None:
        return [*body[:index], new]
    blanks, rest = _split(after.leading_lines)  # type: ignore[attr-defined]
    if at < len(entries):  # `after` is an import: same section, or the next one
        keep = (blanks if prev is not None else []) or [cst.EmptyLine()]
        lines = rest if entries[at].section == THIRD else [*keep, *rest]
    else:  # the first statement after the block: isort wants blank lines before it
        wanted = 2 if isinstance(after, cst.ClassDef | cst.FunctionDef) else 1
        lines = [*blanks, *[cst.EmptyLine()] * (wanted - len(blanks)), *rest]
    moved = after.with_changes(leading_lines=lines)
    return [*body[:index], new, moved, *body[index + 1 :]]


@cache
def _roots(directory: str) -> tuple[tuple[Path, ...], str | None]:
    """The source roots of the project holding `directory`, and the package it is in."""
    here = Path(directory)
    package = None
    probe = here
    while (probe / "__init__.py").is_file():
        package, probe = probe.name, probe.parent
    root = next(
        (p for p in (here, *here.parents) if any((p / c).is_file() for c in _CONFIGS)), None
    )
    return ((root, root / "src") if root is not None else ()), package


def first_party_of(path: str | None) -> IsFirstParty:
    """`name -> bool`: is a top-level module first-party for the file at `path` (ruff defaults)?"""
    if path is None or not Path(path).is_file():
        return lambda name: False
    roots, package = _roots(str(Path(path).resolve().parent))

    def first_party(name: str) -> bool:
        if name == package:
            return True
        return any((r / name).is_dir() or (r / f"{name}.py").is_file() for r in roots)

    return first_party

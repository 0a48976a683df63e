"""Add imported names to a user's module where ruff's isort would put them.

The new render's import block is already sorted (sections separated by a blank line, modules and
names in isort's order), so it is the guide: a name joins the user's `from x import ...`
statement at its sorted place (when the user's names are sorted; at the end otherwise), and a new
statement goes next to the user's statements of the same section in render order, or after the
previous section, taking the blank line that separates sections.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from petrock_gen._isort import member_sort_key

if TYPE_CHECKING:
    import libcst as cst

__all__ = ["add_imports"]

_LINE_LENGTH = 100
Key = tuple[str, str]  # ("from", module) or ("import", dotted name)


@dataclass(frozen=True)
class _Place:
    """Where an import statement sits in the render: its section and its rank."""

    section: int
    order: int


def add_imports(
    body: list[cst.BaseStatement],
    render: cst.Module,
    new_from: Sequence[tuple[str, str, str | None]],
    new_imports: Sequence[tuple[str, str | None]],
) -> list[cst.BaseStatement]:
    """`body` (the user's module body) with the new names imported."""
    pending: dict[Key, list[tuple[str, str | None]]] = {}
    for module, name, asname in new_from:
        pending.setdefault(("from", module), []).append((name, asname))
    for name, asname in new_imports:
        pending.setdefault(("import", name), []).append((name, asname))
    body = _extend_existing(body, pending)
    places = _render_imports(render)
    for key in places:
        if key in pending:
            body = _insert(body, _statement(key, pending.pop(key)), places, key)
    for key, names in pending.items():  # not in the render's block: after the last import
        body = _insert(body, _statement(key, names), places, key)
    return body


def _key(stmt: cst.BaseStatement) -> Key | None:
    import libcst as cst

    if not isinstance(stmt, cst.SimpleStatementLine) or not stmt.body:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
        dots = "." * len(small.relative)
        module = "" if small.module is None else _code(small.module)
        return ("from", dots + module)
    if isinstance(small, cst.Import):
        return ("import", _code(small.names[0].name))
    return None


def _code(node: cst.CSTNode) -> str:
    import libcst as cst

    return cst.Module(body=[]).code_for_node(node)


def _render_imports(render: cst.Module) -> dict[Key, _Place]:
    """Every import statement of the render, in order, with its section."""
    places: dict[Key, _Place] = {}
    section = 0
    for stmt in render.body:
        key = _key(stmt)
        if key is None:
            continue
        if getattr(stmt, "leading_lines", ()):
            section += 1
        places.setdefault(key, _Place(section, len(places)))
    return places


def _extend_existing(
    body: list[cst.BaseStatement], pending: dict[Key, list[tuple[str, str | None]]]
) -> list[cst.BaseStatement]:
    import libcst as cst

    body = list(body)
    for index, stmt in enumerate(body):
        key = _key(stmt)
        if key is None or key[0] != "from" or key not in pending:
            continue
        assert isinstance(stmt, cst.SimpleStatementLine)
        node = stmt.body[0]
        assert isinstance(node, cst.ImportFrom)
        body[index] = _with_names(stmt, node, key[1], pending.pop(key))
    return body


def _with_names(
    stmt: cst.SimpleStatementLine,
    node: cst.ImportFrom,
    module: str,
    extra: Sequence[tuple[str, str | None]],
) -> cst.BaseStatement:
    import libcst as cst

    assert not isinstance(node.names, cst.ImportStar)
    if "#" in _code(node) or len(stmt.body) > 1:
        return _appended(stmt, node, extra)  # comments inside: keep every byte, append
    names = [_code(alias.name) + _as(alias) for alias in node.names]
    keys = [member_sort_key(n) for n in names]
    ordered = keys == sorted(keys)
    for name, asname in extra:
        text = name + (f" as {asname}" if asname else "")
        at = bisect.bisect(keys, member_sort_key(text)) if ordered else len(names)
        names.insert(at, text)
        keys.insert(at, member_sort_key(text))
    one_line = f"from {module} import {', '.join(names)}"
    if node.lpar is None and len(one_line) <= _LINE_LENGTH:
        source = one_line
    else:
        source = f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")"
    new = cst.parse_statement(source + "\n")
    return new.with_changes(
        leading_lines=stmt.leading_lines, trailing_whitespace=stmt.trailing_whitespace
    )


def _appended(
    stmt: cst.SimpleStatementLine, node: cst.ImportFrom, extra: Sequence[tuple[str, str | None]]
) -> cst.BaseStatement:
    """The names of `node` plus `extra` at the end, separated the way the user separated theirs."""
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
    smalls = [node.with_changes(names=names) if s is node else s for s in stmt.body]
    return stmt.with_changes(body=smalls)


def _as(alias: cst.ImportAlias) -> str:
    import libcst as cst

    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return f" as {alias.asname.name.value}"
    return ""


def _statement(key: Key, names: Sequence[tuple[str, str | None]]) -> cst.SimpleStatementLine:
    import libcst as cst

    listed = [
        n + (f" as {a}" if a else "") for n, a in sorted(names, key=lambda x: member_sort_key(x[0]))
    ]
    if key[0] == "import":
        source = "\n".join(f"import {n}" for n in listed)
    else:
        source = f"from {key[1]} import {', '.join(listed)}"
        if len(source) > _LINE_LENGTH:
            source = f"from {key[1]} import (\n" + "".join(f"    {n},\n" for n in listed) + ")"
    stmt = cst.parse_statement(source + "\n")
    assert isinstance(stmt, cst.SimpleStatementLine)
    return stmt


def _insert(
    body: list[cst.BaseStatement],
    stmt: cst.SimpleStatementLine,
    places: dict[Key, _Place],
    key: Key,
) -> list[cst.BaseStatement]:
    """Insert `stmt` next to its section in `body`, moving the section's blank line if needed."""
    import libcst as cst

    blank = (cst.EmptyLine(),)
    place = places.get(key)
    known = [(i, places[k]) for i, k in ((i, _key(s)) for i, s in enumerate(body)) if k in places]
    if place is None:
        imports = [i for i, s in enumerate(body) if _key(s) is not None]
        at = imports[-1] + 1 if imports else _after_docstring(body)
        return [*body[:at], stmt.with_changes(leading_lines=blank if at else ()), *body[at:]]
    same = [(i, p) for i, p in known if p.section == place.section]
    before = [i for i, p in same if p.order < place.order]
    if before:
        return [*body[: before[-1] + 1], stmt, *body[before[-1] + 1 :]]
    if same:  # it comes first in its section: it takes over the section's blank line
        first = same[0][0]
        moved = body[first].with_changes(leading_lines=())
        new = stmt.with_changes(leading_lines=body[first].leading_lines)  # type: ignore[attr-defined]
        return [*body[:first], new, moved, *body[first + 1 :]]
    earlier = [i for i, p in known if p.section < place.section]
    if earlier:
        at = earlier[-1] + 1
        return [*body[:at], stmt.with_changes(leading_lines=blank), *body[at:]]
    later = [i for i, p in known if p.section > place.section]
    if later:
        first = later[0]
        moved = body[first].with_changes(leading_lines=blank)
        new = stmt.with_changes(leading_lines=body[first].leading_lines)  # type: ignore[attr-defined]
        return [*body[:first], new, moved, *body[first + 1 :]]
    at = _after_docstring(body)
    return [*body[:at], stmt.with_changes(leading_lines=blank if at else ()), *body[at:]]


def _after_docstring(body: list[cst.BaseStatement]) -> int:
    import libcst as cst

    if body and isinstance(body[0], cst.SimpleStatementLine):
        first = body[0].body[0]
        if isinstance(first, cst.Expr) and isinstance(first.value, cst.SimpleString):
            return 1
    return 0

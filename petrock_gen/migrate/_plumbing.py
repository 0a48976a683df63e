"""The loop plumbing that disappears (decode, type guard, name temporary, cursor bump) and the
checks that moved code still finds its names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import libcst as cst

from petrock_gen.migrate._model import (
    Dispatch,
    Facts,
    Pattern,
    Refusal,
    block_statements,
    is_cmd,
    is_self_attr,
    isinstance_of_cmd,
)
from petrock_gen.migrate._names import names_in
from petrock_gen.migrate._walk import iter_nodes

__all__ = ["Plumbing", "bound_names", "check_locals", "find_dispatch", "strip_plumbing"]

Line = Callable[[cst.CSTNode], int]


@dataclass
class Plumbing:
    """What `strip_plumbing` took out of the loop body."""

    kept: list[cst.BaseStatement]
    bump: cst.BaseStatement | None = None
    guarded: bool = False
    bump_in_finally: bool = False
    name_binding: cst.BaseStatement | None = None
    dropped: list[cst.BaseStatement] = field(default_factory=list)


def _single(stmt: cst.BaseStatement) -> cst.BaseSmallStatement | None:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        return stmt.body[0]
    return None


def _assign(stmt: cst.BaseStatement) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    small = _single(stmt)
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        return small.targets[0].target, small.value
    return None


def strip_plumbing(
    body: Sequence[cst.BaseStatement], facts: Facts, cursor: str, line: Line
) -> Plumbing:
    """Take the decode, type guard, name temporary and cursor bump out of the loop body.

    Sets `facts.cmd_var` and `facts.name_var`. A `try:` that is the only statement left is searched
    too (the bump often sits in its `finally:`).
    """
    result = Plumbing(kept=[])
    for stmt in body:
        if not _take(stmt, facts, cursor, line, result):
            result.kept.append(stmt)
    if len(result.kept) == 1 and isinstance(result.kept[0], cst.Try) and result.bump is None:
        result.kept = _strip_try(result.kept[0], facts, cursor, line, result)
    return result


def _take(stmt: cst.BaseStatement, facts: Facts, cursor: str, line: Line, out: Plumbing) -> bool:
    pair = _assign(stmt)
    if pair is not None:
        target, value = pair
        if (
            facts.cmd_var is None
            and isinstance(target, cst.Name)
            and isinstance(value, cst.Attribute)
            and value.attr.value == "decoded_payload"
            and isinstance(value.value, cst.Name)
            and value.value.value == facts.msg_var
        ):
            facts.cmd_var = target.value
            out.dropped.append(stmt)
            return True
        if (
            facts.name_var is None
            and isinstance(target, cst.Name)
            and isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and value.func.attr.value == "command_name"
            and not value.args
            and is_cmd(value.func.value, facts)
        ):
            facts.name_var = target.value
            out.name_binding = stmt
            return True
        if out.bump is None and is_self_attr(target, cursor) and _is_msg_id(value, facts):
            out.bump = stmt
            out.dropped.append(stmt)
            return True
    if not out.guarded and _is_guard(stmt, facts):
        out.guarded = True
        out.dropped.append(stmt)
        return True
    return False


def _is_msg_id(node: cst.BaseExpression, facts: Facts) -> bool:
    return (
        isinstance(node, cst.Attribute)
        and node.attr.value == "id"
        and isinstance(node.value, cst.Name)
        and node.value.value == facts.msg_var
    )


def _is_guard(stmt: cst.BaseStatement, facts: Facts) -> bool:
    """`if not isinstance(cmd, Command): continue`."""
    if not isinstance(stmt, cst.If) or stmt.orelse is not None:
        return False
    test = stmt.test
    if not (isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not)):
        return False
    if isinstance_of_cmd(test.expression, facts) is None:
        return False
    body = stmt.body.body
    first = body[0] if body else None
    if isinstance(first, cst.SimpleStatementLine):
        first = first.body[0] if len(first.body) == 1 else None
    return len(body) == 1 and isinstance(first, cst.Continue)


def _strip_try(
    try_: cst.Try, facts: Facts, cursor: str, line: Line, out: Plumbing
) -> list[cst.BaseStatement]:
    """The plumbing out of a per-message `try:`; a `try/finally` that only moved the cursor is
    unwrapped (the handlers' statements stand alone)."""
    body = [s for s in block_statements(try_.body) if not _take(s, facts, cursor, line, out)]
    final = try_.finalbody
    if final is not None:
        rest = [s for s in block_statements(final.body) if not _take(s, facts, cursor, line, out)]
        out.bump_in_finally = out.bump is not None and out.bump in block_statements(final.body)
        final = final.with_changes(body=final.body.with_changes(body=rest)) if rest else None
    if not try_.handlers and final is None and try_.orelse is None:
        return body
    return [try_.with_changes(body=try_.body.with_changes(body=body), finalbody=final)]


def _targets(node: cst.CSTNode) -> list[str]:
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, cst.Tuple | cst.List):
        return [name for element in node.elements for name in _targets(element.value)]
    if isinstance(node, cst.StarredElement):
        return _targets(node.value)
    return []


def bound_names(nodes: Sequence[cst.CSTNode]) -> set[str]:
    """Names bound (assigned, loop targets, `as` names, defs) anywhere in `nodes`."""
    found: set[str] = set()
    scopes = (cst.FunctionDef, cst.ClassDef)
    binders = (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.NamedExpr, cst.For, cst.CompFor)
    for node in iter_nodes(nodes, prune=lambda n: type(n) in scopes):
        kind = type(node)
        if kind in scopes:
            found.add(node.name.value)  # type: ignore[attr-defined]
        elif kind in binders:
            found.update(_targets(node.target))  # type: ignore[attr-defined]
        elif kind is cst.AsName:
            found.update(_targets(node.name))  # type: ignore[attr-defined]
    return found


def check_locals(
    pre: Sequence[cst.BaseStatement],
    loop: cst.CSTNode,
    post: Sequence[cst.BaseStatement],
    line: Line,
) -> None:
    """Refuse per-batch locals the loop reads, and loop locals read after the loop."""
    in_loop = names_in(loop)
    for stmt in pre:
        shared = sorted(bound_names([stmt]) & in_loop)
        if shared:
            raise Refusal(
                line(stmt),
                f"per-batch local `{shared[0]}` is shared between messages; keep it on `self`",
            )
    loop_bound = bound_names([loop])
    for stmt in post:
        used = sorted(names_in(stmt) & loop_bound)
        if used:
            raise Refusal(line(stmt), f"`{used[0]}` from the message loop is used after it")


def find_dispatch(
    stmts: Sequence[cst.BaseStatement],
    facts: Facts,
    patterns: Sequence[Pattern],
    all_patterns: Sequence[Pattern],
    where: cst.CSTNode,
) -> Dispatch:
    """The one dispatch of the loop body; raises Refusal (none, or two) or Disabled."""
    from petrock_gen.migrate._analyze import Disabled

    found: list[tuple[Pattern, Dispatch]] = []
    for pattern in all_patterns:
        if pattern.match_dispatch is not None:
            dispatch = pattern.match_dispatch(stmts, facts)
            if dispatch is not None and all(d.start != dispatch.start for _, d in found):
                found.append((pattern, dispatch))
    if not found:
        raise Refusal(
            facts.line(where), "no dispatch on a literal command name found in the message loop"
        )
    if len(found) > 1:
        raise Refusal(facts.line(stmts[found[1][1].start]), "the loop body dispatches twice")
    pattern, dispatch = found[0]
    if pattern not in patterns:
        raise Disabled(f"its dispatch needs the disabled pattern `{pattern.id}`")
    return dispatch

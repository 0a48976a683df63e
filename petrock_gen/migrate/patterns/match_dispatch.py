"""match_dispatch: `match name:` / `match cmd.command_name():` with literal cases.

Recognised cases: string literals, or-patterns of literals (one handler registered under every
name), `_`, a capture (`case other:`, bound at the top of the handler) and `as` captures, each with
an optional guard. A guarded case falls through to the later cases that match the same name, so a
handler becomes an `if guard: ... else: ...` over exactly those cases.

Before::

    match cmd.command_name():
        case "stock/received" | "stock/returned":
            self._adjust(self.on_hand, cmd.sku, cmd.quantity)
        case "stock/reserved" if cmd.quantity > 0:
            self._adjust(self.reserved, cmd.sku, cmd.quantity)
        case _:
            logger.debug("ignoring %s", cmd.command_name())

After::

    def handle_stock_received(ctx: WorkerContext[W], cmd: Command, msg: Message) -> None:
        ctx.state._adjust(ctx.state.on_hand, cmd.sku, cmd.quantity)


    def handle_stock_reserved(ctx: WorkerContext[W], cmd: Command, msg: Message) -> None:
        if cmd.quantity > 0:
            ctx.state._adjust(ctx.state.reserved, cmd.sku, cmd.quantity)
        else:
            logger.debug("ignoring %s", cmd.command_name())

    # in build_worker (the logging-only default is dropped, with a note in the report):
    worker.on_command("stock/received", handle_stock_received)
    worker.on_command("stock/returned", handle_stock_received)
    worker.on_command("stock/reserved", handle_stock_reserved)
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from petrock_gen.migrate._model import (
    Arm,
    Dispatch,
    Facts,
    Pattern,
    block_statements,
    literal,
    subject_is_name,
)

__all__ = ["PATTERN"]


def _pattern_names(pattern: cst.MatchPattern) -> tuple[tuple[str, ...] | None, str | None] | None:
    """(names or None for a wildcard, captured variable) of a case pattern, None if unknown."""
    if isinstance(pattern, cst.MatchValue):
        text = literal(pattern.value)
        return None if text is None else ((text,), None)
    if isinstance(pattern, cst.MatchOr):
        names: list[str] = []
        for element in pattern.patterns:
            inner = _pattern_names(element.pattern)
            if inner is None or inner[0] is None or inner[1] is not None:
                return None
            names.extend(inner[0])
        return tuple(names), None
    if isinstance(pattern, cst.MatchAs):
        capture = pattern.name.value if pattern.name is not None else None
        if pattern.pattern is None:
            return None, capture
        inner = _pattern_names(pattern.pattern)
        if inner is None or inner[1] is not None:
            return None
        return inner[0], capture
    return None


def _arm(case: cst.MatchCase, subject: cst.BaseExpression, facts: Facts) -> Arm | None:
    parsed = _pattern_names(case.pattern)
    if parsed is None:
        return None
    names, capture = parsed
    binds: list[cst.BaseStatement] = []
    if capture is not None:
        target = cst.AssignTarget(cst.Name(capture))
        binds.append(cst.SimpleStatementLine([cst.Assign([target], subject)]))
    body = case.body
    return Arm(
        names=names,
        body=block_statements(body),
        node=case,
        guard=case.guard,
        binds=binds,
        leading=case.leading_lines,
        header=body.header if isinstance(body, cst.IndentedBlock) else None,
        footer=body.footer if isinstance(body, cst.IndentedBlock) else (),
    )


def _match(stmts: Sequence[cst.BaseStatement], facts: Facts) -> Dispatch | None:
    for index, stmt in enumerate(stmts):
        if not isinstance(stmt, cst.Match) or not subject_is_name(stmt.subject, facts):
            continue
        arms = [_arm(case, stmt.subject, facts) for case in stmt.cases]
        if all(arm is not None for arm in arms):
            first = arms[0]
            if first is not None:
                first.leading = [*stmt.leading_lines, *first.leading]
            return Dispatch(index, index + 1, [a for a in arms if a is not None], "match_dispatch")
    return None


PATTERN = Pattern(
    id="match_dispatch",
    kind="dispatch",
    summary="`match` on the command name: literals, or-patterns, `_`, captures, guards",
    match_dispatch=_match,
)

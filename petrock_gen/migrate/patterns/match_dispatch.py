"""match_dispatch: `match name:` / `match cmd.command_name():` with literal cases, and
`match cmd:` with class patterns.

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

`match cmd:` (or `match msg.decoded_payload:`) with class patterns: each class resolves like in
an `isinstance` chain (defined at the top of the same module with its name as a literal, and
subclassed by no class of the module: a class pattern also matches subclasses, a name registration
would not). Recognised cases: `Opened()`, or-patterns of those (one handler under every name),
keyword captures of declared fields (`Opened(order_id=oid)`, bound at the top of the handler as
`oid = cmd.order_id`), `as` captures, `_` and a bare capture (the default branch), each with an
optional guard; `cmd` is annotated with the classes. Everything else in a `match` on the command is
refused with its line, never guessed: positional sub-patterns (they depend on `__match_args__`),
keyword patterns that test a value, dotted or unknown classes, literal cases.

Class patterns, before::

    match cmd:
        case Opened(order_id=oid):
            self.open.add(oid)
        case Closed() | Archived():
            self.open.discard(cmd.order_id)

After::

    def handle_orders_opened(ctx: WorkerContext[W], cmd: Opened, msg: Message) -> None:
        oid = cmd.order_id
        ctx.state.open.add(oid)


    def handle_orders_closed(
        ctx: WorkerContext[W], cmd: Closed | Archived, msg: Message
    ) -> None:
        ctx.state.open.discard(cmd.order_id)

    # in build_worker:
    worker.on_command("orders/opened", handle_orders_opened)
    worker.on_command("orders/closed", handle_orders_closed)
    worker.on_command("orders/archived", handle_orders_closed)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from petrock_gen.migrate._model import (
    Arm,
    Dispatch,
    Facts,
    Pattern,
    Refusal,
    block_statements,
    is_cmd,
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


@dataclass
class _Case:
    """What one case pattern matches: classes (None: anything) and the names it binds."""

    classes: tuple[str, ...] | None
    captures: dict[str, str] = field(default_factory=dict)  # variable -> field of the command
    whole: str | None = None  # `as` name, bound to the command itself


def _class(pattern: cst.MatchClass, facts: Facts) -> _Case:
    where = facts.line(pattern)
    if not isinstance(pattern.cls, cst.Name):
        raise Refusal(where, "a class pattern names a class outside this module")
    cls = pattern.cls.value
    if cls in facts.subclassed:
        raise Refusal(where, f"`case {cls}()` also matches its subclasses in this module")
    if cls not in facts.literal_names:
        raise Refusal(
            where, f"class `{cls}` is not defined in this module with a literal command name"
        )
    if pattern.patterns:
        raise Refusal(
            where, f"`case {cls}(...)` has positional sub-patterns (`__match_args__`); use keywords"
        )
    case = _Case((cls,))
    for keyword in pattern.kwds:
        inner = keyword.pattern
        attr = keyword.key.value
        if not (isinstance(inner, cst.MatchAs) and inner.pattern is None and inner.name):
            raise Refusal(where, f"`{cls}({attr}=...)` tests a value; only captures are migrated")
        if attr not in facts.fields.get(cls, ()):
            raise Refusal(where, f"`{cls}` declares no field `{attr}` for `{attr}=...` to read")
        case.captures[inner.name.value] = attr
    return case


def _case(pattern: cst.MatchPattern, facts: Facts) -> _Case:
    if isinstance(pattern, cst.MatchClass):
        return _class(pattern, facts)
    if isinstance(pattern, cst.MatchOr):
        parts = [_case(element.pattern, facts) for element in pattern.patterns]
        if any(p.classes is None or p.whole is not None for p in parts) or any(
            p.captures != parts[0].captures for p in parts
        ):
            raise Refusal(
                facts.line(pattern),
                "an or-pattern must list classes that capture the same fields alike",
            )
        classes = tuple(c for p in parts for c in p.classes or ())
        return _Case(classes, parts[0].captures)
    if isinstance(pattern, cst.MatchAs):
        name = pattern.name.value if pattern.name is not None else None
        if pattern.pattern is None:
            return _Case(None, whole=name)
        inner = _case(pattern.pattern, facts)
        if inner.whole is not None or inner.classes is None:
            raise Refusal(facts.line(pattern), "nested `as` captures in a class pattern")
        inner.whole = name
        return inner
    raise Refusal(facts.line(pattern), "a case of `match` on the command is not a class pattern")


def _class_arm(case: cst.MatchCase, subject: cst.BaseExpression, facts: Facts) -> Arm:
    parsed = _case(case.pattern, facts)
    binds: list[cst.BaseStatement] = []
    if parsed.whole is not None:
        target = cst.AssignTarget(cst.Name(parsed.whole))
        binds.append(cst.SimpleStatementLine([cst.Assign([target], subject)]))
    for var, attr in parsed.captures.items():
        value = cst.Attribute(subject, cst.Name(attr))
        binds.append(
            cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(var))], value)])
        )
    classes = parsed.classes
    body = case.body
    return Arm(
        names=None if classes is None else tuple(facts.literal_names[c] for c in classes),
        body=block_statements(body),
        node=case,
        guard=case.guard,
        binds=binds,
        classes=classes or (),
        leading=case.leading_lines,
        header=body.header if isinstance(body, cst.IndentedBlock) else None,
        footer=body.footer if isinstance(body, cst.IndentedBlock) else (),
    )


def _match(stmts: Sequence[cst.BaseStatement], facts: Facts) -> Dispatch | None:
    for index, stmt in enumerate(stmts):
        if not isinstance(stmt, cst.Match):
            continue
        if subject_is_name(stmt.subject, facts):
            found = [_arm(case, stmt.subject, facts) for case in stmt.cases]
            if not all(arm is not None for arm in found):
                continue
            arms = [a for a in found if a is not None]
        elif is_cmd(stmt.subject, facts) and any(_has_class(c.pattern) for c in stmt.cases):
            arms = [_class_arm(case, stmt.subject, facts) for case in stmt.cases]
        else:
            continue
        arms[0].leading = [*stmt.leading_lines, *arms[0].leading]
        return Dispatch(index, index + 1, arms, "match_dispatch")
    return None


def _has_class(pattern: cst.MatchPattern) -> bool:
    if isinstance(pattern, cst.MatchClass):
        return True
    if isinstance(pattern, cst.MatchOr):
        return any(_has_class(element.pattern) for element in pattern.patterns)
    return (
        isinstance(pattern, cst.MatchAs)
        and pattern.pattern is not None
        and _has_class(pattern.pattern)
    )


PATTERN = Pattern(
    id="match_dispatch",
    kind="dispatch",
    summary="`match` on the command name (literals, or-patterns, `_`, captures, guards) or on the "
    "command (class patterns over classes with literal names)",
    match_dispatch=_match,
)

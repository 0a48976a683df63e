"""dict_table: a literal dispatch table of methods, built in `__init__` and looked up by name.

The table must be assigned once, in `__init__`, as a dict literal whose keys are string literals and
whose values are `self.<method>`; the lookup is `handler = self.<table>.get(name)` followed by
`if handler is not None:` (or `if handler:`) calling it, or `if name in self.<table>:` calling
`self.<table>[name](...)`. Keys sharing a method get one handler registered under every key; an
`else:` is the default branch.

Before::

    def __init__(self, log):
        self.handlers = {"orders/placed": self._placed, "orders/cancelled": self._cancelled}

    def work(self):
        for msg in self.log.after(self.position):
            cmd = msg.decoded_payload
            handler = self.handlers.get(cmd.command_name())
            if handler is not None:
                handler(cmd, msg.id)
            self.position = msg.id

After::

    def handle_orders_placed(ctx: WorkerContext[W], cmd: Command, msg: Message) -> None:
        ctx.state._placed(cmd, msg.id)

    # in build_worker:
    worker.on_command("orders/placed", handle_orders_placed)
    worker.on_command("orders/cancelled", handle_orders_cancelled)
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from petrock_gen.migrate._model import (
    Arm,
    Dispatch,
    Facts,
    Pattern,
    Refusal,
    block_statements,
    is_self_attr,
    literal,
    method_call_assignment,
    subject_is_name,
)

__all__ = ["PATTERN"]


def _lookup(stmt: cst.BaseStatement, facts: Facts) -> tuple[str, str] | None:
    """`handler = self.table.get(name)` -> ("handler", "table")."""
    found = method_call_assignment(stmt)
    if found is None:
        return None
    name, method, call = found
    if not (
        method.attr.value == "get"
        and len(call.args) == 1
        and subject_is_name(call.args[0].value, facts)
    ):
        return None
    table = is_self_attr(method.value)
    if table is None:
        return None
    return name, table


def _call(stmt: cst.BaseStatement, var: str) -> cst.Call | None:
    """`if handler is not None:` / `if handler:` whose body is one call of `handler`."""
    if not isinstance(stmt, cst.If):
        return None
    test = stmt.test
    plain = isinstance(test, cst.Name) and test.value == var
    not_none = (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and test.left.value == var
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.IsNot)
        and isinstance(test.comparisons[0].comparator, cst.Name)
        and test.comparisons[0].comparator.value == "None"
    )
    body = block_statements(stmt.body)
    if not (plain or not_none) or len(body) != 1:
        return None
    line = body[0]
    if not (isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1):
        return None
    expr = line.body[0]
    if not (isinstance(expr, cst.Expr) and isinstance(expr.value, cst.Call)):
        return None
    call = expr.value
    return call if isinstance(call.func, cst.Name) and call.func.value == var else None


def _table_arms(table: cst.Dict, call: cst.Call, facts: Facts) -> list[Arm]:
    by_method: dict[str, list[str]] = {}
    for element in table.elements:
        key = literal(element.key) if isinstance(element, cst.DictElement) else None
        method = is_self_attr(element.value) if isinstance(element, cst.DictElement) else None
        if key is None or method is None:
            raise Refusal(facts.line(element), 'dispatch table entry is not `"name": self.method`')
        if any(key in keys for keys in by_method.values()):
            raise Refusal(facts.line(element), f"dispatch table repeats the key {key!r}")
        by_method.setdefault(method, []).append(key)
    arms = []
    for method, keys in by_method.items():
        func = cst.Attribute(cst.Name("self"), cst.Name(method))
        line = cst.SimpleStatementLine([cst.Expr(call.with_changes(func=func))])
        arms.append(Arm(names=tuple(keys), body=[line], node=table))
    return arms


def _membership(stmt: cst.BaseStatement, facts: Facts) -> tuple[str, cst.Call] | None:
    """`if name in self.table: self.table[name](...)` -> ("table", the call)."""
    if not isinstance(stmt, cst.If):
        return None
    test = stmt.test
    if not (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.In)
        and subject_is_name(test.left, facts)
    ):
        return None
    table = is_self_attr(test.comparisons[0].comparator)
    body = block_statements(stmt.body)
    line = body[0] if len(body) == 1 else None
    if table is None or not (isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1):
        return None
    expr = line.body[0]
    call = expr.value if isinstance(expr, cst.Expr) else None
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Subscript)):
        return None
    lookup = call.func
    if is_self_attr(lookup.value, table) is None or len(lookup.slice) != 1:
        return None
    key = lookup.slice[0].slice
    if not (isinstance(key, cst.Index) and subject_is_name(key.value, facts)):
        return None
    return table, call


def _else_arm(check: cst.If, arms: list[Arm]) -> bool:
    """Add the `else:` of the lookup as the default arm; False for an `elif` (not a table)."""
    if isinstance(check.orelse, cst.Else):
        body = block_statements(check.orelse.body)
        arms.append(Arm(names=None, body=body, node=check.orelse))
    return not isinstance(check.orelse, cst.If)


def _match(stmts: Sequence[cst.BaseStatement], facts: Facts) -> Dispatch | None:
    for index, stmt in enumerate(stmts):
        member = _membership(stmt, facts)
        if member is not None and member[0] in facts.init_tables:
            assert isinstance(stmt, cst.If)
            arms = _table_arms(facts.init_tables[member[0]], member[1], facts)
            if _else_arm(stmt, arms):
                return Dispatch(index, index + 1, arms, "dict_table")
    for index, stmt in enumerate(stmts[:-1]):
        found = _lookup(stmt, facts)
        if found is None or found[1] not in facts.init_tables:
            continue
        check = stmts[index + 1]
        call = _call(check, found[0])
        if call is None:
            continue
        arms = _table_arms(facts.init_tables[found[1]], call, facts)
        assert isinstance(check, cst.If)
        if _else_arm(check, arms):
            return Dispatch(index, index + 2, arms, "dict_table")
    return None


PATTERN = Pattern(
    id="dict_table",
    kind="dispatch",
    summary="literal dispatch tables of methods built in `__init__`",
    match_dispatch=_match,
)

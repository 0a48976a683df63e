"""while_loop: `while True:` with a fetch call and a `None` check is the message loop.

Before::

    def work(self):
        while True:
            msg = self.log.next_after(self.last_processed_id)
            if msg is None:
                break
            cmd = msg.decoded_payload
            ...dispatch...
            self.last_processed_id = msg.id

After: the loop, the fetch and the `None` check are gone; each dispatch branch is a handler::

    def handle_x(ctx: WorkerContext[Worker], cmd: Command, msg: Message) -> None: ...

The fetch must be a call on a `self.<attribute>` whose first argument is the cursor
(`self.<attribute>`), bound to a name that the very next statement checks with `is None` and leaves
the loop on (`break` or `return`).
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from petrock_gen.migrate._model import LoopMatch, Pattern, is_self_attr, method_call_assignment

__all__ = ["PATTERN"]


def _fetch(stmt: cst.BaseStatement) -> tuple[str, str | None] | None:
    """`msg = self.log.next_after(self.cursor)` -> ("msg", "cursor")."""
    found = method_call_assignment(stmt)
    if found is None or is_self_attr(found[1].value) is None:
        return None
    name, _, call = found
    cursor = is_self_attr(call.args[0].value) if call.args else None
    return name, cursor


def _is_none_exit(stmt: cst.BaseStatement, var: str) -> bool:
    """`if msg is None: break` (or `return`)."""
    if not isinstance(stmt, cst.If) or stmt.orelse is not None:
        return False
    test = stmt.test
    if not (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and test.left.value == var
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.Is)
        and isinstance(test.comparisons[0].comparator, cst.Name)
        and test.comparisons[0].comparator.value == "None"
    ):
        return False
    body = stmt.body.body
    if len(body) != 1:
        return False
    line = body[0]
    small = line.body[0] if isinstance(line, cst.SimpleStatementLine) else line
    return isinstance(small, cst.Break) or (isinstance(small, cst.Return) and small.value is None)


def _match(work: cst.FunctionDef, line: Callable[[cst.CSTNode], int]) -> LoopMatch | None:
    for stmt in work.body.body:
        if not (
            isinstance(stmt, cst.While)
            and isinstance(stmt.test, cst.Name)
            and stmt.test.value == "True"
            and isinstance(stmt.body, cst.IndentedBlock)
            and len(stmt.body.body) >= 2
        ):
            continue
        fetched = _fetch(stmt.body.body[0])
        if fetched is None or not _is_none_exit(stmt.body.body[1], fetched[0]):
            continue
        return LoopMatch(
            node=stmt, msg_var=fetched[0], cursor=fetched[1], body=list(stmt.body.body[2:])
        )
    return None


PATTERN = Pattern(
    id="while_loop",
    kind="loop",
    summary="`while True:` loops with a fetch call and a `None` check",
    match_loop=_match,
)

"""for_loop: `for msg in self.log.after(self.cursor):` (also `async for`) is the message loop.

Before::

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            ...dispatch...
            self.last_processed_id = msg.id
        self.flush()

After: the loop is gone; the runtime delivers each message to a handler and keeps the position
(see the package docstring for the whole shape)::

    def handle_x(ctx: WorkerContext[Worker], cmd: Command, msg: Message) -> None: ...

    def flush(ctx: WorkerContext[Worker]) -> None:
        ctx.state.flush()

The cursor is the first argument of `.after(...)` and must be a `self.<attribute>`. The loop's
`else:` runs after every batch unless a `break` stopped it: with no loop-level `break` it joins the
code after the loop in the periodic work (a note says so); a `break` that would skip it is refused,
as is a one-line loop body (no room for a dispatch).
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from petrock_gen.migrate._model import LoopMatch, Pattern, is_self_attr

__all__ = ["PATTERN"]


def _match(work: cst.FunctionDef, line: Callable[[cst.CSTNode], int]) -> LoopMatch | None:
    for stmt in work.body.body:
        if not isinstance(stmt, cst.For) or not isinstance(stmt.target, cst.Name):
            continue
        call = stmt.iter
        if not (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "after"
            and is_self_attr(call.func.value) is not None
        ):
            continue
        cursor = is_self_attr(call.args[0].value) if len(call.args) == 1 else None
        return LoopMatch(
            node=stmt,
            msg_var=stmt.target.value,
            cursor=cursor,
            body=list(stmt.body.body) if isinstance(stmt.body, cst.IndentedBlock) else [],
            is_async=stmt.asynchronous is not None,
        )
    return None


PATTERN = Pattern(
    id="for_loop",
    kind="loop",
    summary="`for msg in self.log.after(self.cursor)` and `async for` message loops",
    match_loop=_match,
)

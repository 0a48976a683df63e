"""if_chain: `if/elif` on the command name, bound to a temporary or called inline.

Recognised tests: `name == "a"` (either side), `name in ("a", "b")` (tuple, list or set of
literals), `a or b` of those; the subject is the temporary bound from `cmd.command_name()` or the
call itself. An `else:` is the default branch. Every test of the chain must be recognised.

Before::

    name = cmd.command_name()
    if name == "media/uploaded":
        self._enqueue(cmd.media_id)
    elif name in ("media/replaced", "media/restored"):
        self._refresh(cmd.media_id)

After::

    def handle_media_uploaded(ctx: WorkerContext[W], cmd: Command, msg: Message) -> None:
        ctx.state._enqueue(cmd.media_id)


    def handle_media_replaced(ctx: WorkerContext[W], cmd: Command, msg: Message) -> None:
        ctx.state._refresh(cmd.media_id)

    # in build_worker:
    worker.on_command("media/uploaded", handle_media_uploaded)
    worker.on_command("media/replaced", handle_media_replaced)
    worker.on_command("media/restored", handle_media_replaced)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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

__all__ = ["PATTERN", "NamesOf", "chain_arms"]

NamesOf = Callable[[cst.BaseExpression, Facts], tuple[str, ...] | None]


def _names(test: cst.BaseExpression, facts: Facts) -> tuple[str, ...] | None:
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
        left, right = _names(test.left, facts), _names(test.right, facts)
        return None if left is None or right is None else left + right
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    op, other = test.comparisons[0].operator, test.comparisons[0].comparator
    if isinstance(op, cst.Equal):
        for subject, value in ((test.left, other), (other, test.left)):
            text = literal(value)
            if subject_is_name(subject, facts) and text is not None:
                return (text,)
        return None
    if (
        isinstance(op, cst.In)
        and subject_is_name(test.left, facts)
        and isinstance(other, cst.Tuple | cst.List | cst.Set)
    ):
        texts = [literal(el.value) for el in other.elements]
        if texts and all(isinstance(t, str) for t in texts):
            return tuple(t for t in texts if t is not None)
    return None


def chain_arms(node: cst.If, facts: Facts, test_names: NamesOf = _names) -> list[Arm] | None:
    """The arms of an if/elif/else chain whose every test `test_names` understands."""
    arms: list[Arm] = []
    current: cst.If | cst.Else | None = node
    while current is not None:
        if isinstance(current, cst.Else):
            arms.append(_arm(None, current, facts))
            break
        names = test_names(current.test, facts)
        if names is None:
            return None
        arms.append(_arm(names, current, facts))
        current = current.orelse
    return arms


def _arm(names: tuple[str, ...] | None, node: cst.If | cst.Else, facts: Facts) -> Arm:
    body = node.body
    return Arm(
        names=names,
        body=block_statements(body),
        node=node,
        leading=node.leading_lines,
        header=body.header if isinstance(body, cst.IndentedBlock) else None,
        footer=body.footer if isinstance(body, cst.IndentedBlock) else (),
    )


def _match(stmts: Sequence[cst.BaseStatement], facts: Facts) -> Dispatch | None:
    for index, stmt in enumerate(stmts):
        if isinstance(stmt, cst.If):
            arms = chain_arms(stmt, facts)
            if arms is not None:
                return Dispatch(index, index + 1, arms, "if_chain")
    return None


PATTERN = Pattern(
    id="if_chain",
    kind="dispatch",
    summary="`if/elif` on the command name: `==`, `in (...)`, `or`",
    match_dispatch=_match,
)

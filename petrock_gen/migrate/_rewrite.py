"""Rewrites inside moved code: loop control flow (`self` -> `ctx.state` is `_walk.replace_self`)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from petrock_gen.migrate._walk import iter_nodes

__all__ = ["ControlFlow", "drop_unused_bindings", "todo_comment"]

Mode = Literal["retry", "skip"]

_RETRY_TODO = (
    "TODO(petrock): was `{word}` (line {line}): the old loop retried this message on its next "
    "tick. Retry backs off, then dead-letters after RetryPolicy.max_attempts: confirm."
)
_SKIP_TODO = (
    "TODO(petrock): was `{word}` (line {line}): the old loop had already moved its cursor, so it "
    "skipped this message and stopped the batch; now only this message is skipped: confirm."
)


@dataclass
class ControlFlow(cst.CSTTransformer):
    """Loop-level `continue` -> `return`; loop-level `break`/`return` -> Retry (or skip) + TODO.

    Loop level means not inside an inner loop's body, a nested function, lambda or class. The
    `else:` of an inner loop is still loop level.
    """

    mode: Mode
    retry_name: str
    line: Callable[[cst.CSTNode], int]
    todos: list[tuple[int, str]] = field(default_factory=list)
    skips: list[cst.Continue] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def visit_For(self, node: cst.For) -> bool:
        return False

    def visit_While(self, node: cst.While) -> bool:
        return False

    def leave_For(self, original_node: cst.For, updated_node: cst.For) -> cst.For:
        if updated_node.orelse is None:
            return updated_node
        return updated_node.with_changes(orelse=updated_node.orelse.visit(self))

    def leave_While(self, original_node: cst.While, updated_node: cst.While) -> cst.While:
        if updated_node.orelse is None:
            return updated_node
        return updated_node.with_changes(orelse=updated_node.orelse.visit(self))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def leave_Continue(
        self, original_node: cst.Continue, updated_node: cst.Continue
    ) -> cst.BaseSmallStatement:
        self.skips.append(original_node)
        return cst.Return(semicolon=updated_node.semicolon)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        stops = [s for s in original_node.body if _is_stop(s)]
        if not stops:
            return updated_node
        word = "break" if isinstance(stops[0], cst.Break) else "return"
        line = self.line(original_node)
        todo = (_RETRY_TODO if self.mode == "retry" else _SKIP_TODO).format(word=word, line=line)
        self.todos.append((line, todo))
        body = [
            self._stop(s) if _is_stop(o) else s
            for o, s in zip(original_node.body, updated_node.body, strict=True)
        ]
        comments = [cst.EmptyLine(comment=cst.Comment(text)) for text in todo_comment(todo)]
        return updated_node.with_changes(
            body=body, leading_lines=[*updated_node.leading_lines, *comments]
        )

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.BaseSuite:
        if not any(_is_stop(s) for s in original_node.body):
            return updated_node
        line = cst.SimpleStatementLine(body=updated_node.body)
        visited = cst.ensure_type(line.visit(self), cst.SimpleStatementLine)
        return cst.IndentedBlock(body=[visited], header=updated_node.trailing_whitespace)

    def _stop(self, node: cst.BaseSmallStatement) -> cst.BaseSmallStatement:
        if self.mode == "skip":
            return cst.Return()
        call = cst.Call(
            cst.Name(self.retry_name),
            [
                cst.Arg(
                    cst.SimpleString('"the old worker retried this message"'), cst.Name("reason")
                )
            ],
        )
        return cst.Raise(exc=call)


def todo_comment(text: str, width: int = 88) -> list[str]:
    """`text` as comment lines: `# TODO(petrock): ...`, continued with `#   ...`."""
    lines = textwrap.wrap(text, width - 4)
    return [f"# {lines[0]}", *(f"#   {line}" for line in lines[1:])]


def _is_stop(node: cst.BaseSmallStatement) -> bool:
    return isinstance(node, cst.Break) or (isinstance(node, cst.Return) and node.value is None)


def drop_unused_bindings(
    stmts: Sequence[cst.BaseStatement], shared: set[int], used: Callable[[str], int]
) -> list[cst.BaseStatement]:
    """Shared `x = expr` lines copied into a handler that never reads `x`: keep only the call.

    `shared` holds the ids of the copied statements; `used(name)` counts the reads in the handler.
    A right-hand side without calls is dropped, one with calls stays as an expression statement.
    """
    result: list[cst.BaseStatement] = []
    for stmt in stmts:
        target = _simple_binding(stmt) if id(stmt) in shared else None
        if target is None or used(target[0]) > 0:
            result.append(stmt)
        elif _has_call(target[1]):
            assert isinstance(stmt, cst.SimpleStatementLine)
            result.append(stmt.with_changes(body=[cst.Expr(target[1])]))
    return result


def _simple_binding(stmt: cst.BaseStatement) -> tuple[str, cst.BaseExpression] | None:
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
        return None
    assign = stmt.body[0]
    if (
        isinstance(assign, cst.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0].target, cst.Name)
    ):
        return assign.targets[0].target.value, assign.value
    return None


def _has_call(node: cst.CSTNode) -> bool:
    return any(type(n) is cst.Call or type(n) is cst.Await for n in iter_nodes(node))

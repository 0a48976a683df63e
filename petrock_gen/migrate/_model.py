"""The shapes patterns recognise and the core builds on: loops, dispatch arms, facts about a class."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

__all__ = [
    "Arm",
    "Dispatch",
    "Facts",
    "LoopMatch",
    "Pattern",
    "Refusal",
    "block_statements",
    "is_cmd",
    "is_self_attr",
    "isinstance_of_cmd",
    "literal",
    "method_call_assignment",
    "subject_is_name",
]


class Refusal(Exception):
    """A class cannot be migrated safely; `line` points at the reason."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class LoopMatch:
    """The message loop of `work()`: the loop variable, the cursor attribute, the body to dispatch."""

    node: cst.For | cst.While
    msg_var: str
    cursor: str | None
    body: Sequence[cst.BaseStatement]
    is_async: bool = False


@dataclass
class Arm:
    """One branch of the old dispatch.

    `names` are the literal command names it matched (None: it matched everything left, a default
    branch); `guard` is a `match` guard; `binds` are statements to run first (a `case x:` capture);
    `classes` are the command classes an `isinstance` arm tested; `node` is where it starts
    (for the line of a finding, resolved only when one is reported).
    """

    names: tuple[str, ...] | None
    body: Sequence[cst.BaseStatement]
    node: cst.CSTNode
    guard: cst.BaseExpression | None = None
    binds: Sequence[cst.BaseStatement] = ()
    classes: tuple[str, ...] = ()
    leading: Sequence[cst.EmptyLine] = ()
    header: cst.TrailingWhitespace | None = None
    footer: Sequence[cst.EmptyLine] = ()


@dataclass
class Dispatch:
    """A recognised dispatch: statements `start:stop` of the loop body, replaced by `arms`."""

    start: int
    stop: int
    arms: list[Arm]
    pattern: str


@dataclass
class Facts:
    """What patterns may consult about the class being migrated."""

    class_name: str
    msg_var: str
    cmd_var: str | None
    name_var: str | None
    literal_names: Mapping[str, str]
    subclassed: frozenset[str]
    init_tables: Mapping[str, cst.Dict]
    line: Callable[[cst.CSTNode], int]
    notes: list[tuple[int, str]] = field(default_factory=list)
    fields: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Pattern:
    """One migration pattern: its id (the module name), what it recognises, and its matcher."""

    id: str
    kind: Literal["loop", "dispatch"]
    summary: str
    match_loop: (
        Callable[[cst.FunctionDef, Callable[[cst.CSTNode], int]], LoopMatch | None] | None
    ) = None
    match_dispatch: Callable[[Sequence[cst.BaseStatement], Facts], Dispatch | None] | None = None


def subject_is_name(node: cst.BaseExpression, facts: Facts) -> bool:
    """True when `node` is the command's name: the temporary (`name`) or `cmd.command_name()`."""
    if isinstance(node, cst.Name):
        return facts.name_var is not None and node.value == facts.name_var
    if isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Attribute):
        if node.func.attr.value != "command_name":
            return False
        return is_cmd(node.func.value, facts)
    return False


def is_cmd(node: cst.BaseExpression, facts: Facts) -> bool:
    """True when `node` is the decoded command: `cmd` or `msg.decoded_payload`."""
    if isinstance(node, cst.Name):
        return facts.cmd_var is not None and node.value == facts.cmd_var
    return (
        isinstance(node, cst.Attribute)
        and node.attr.value == "decoded_payload"
        and isinstance(node.value, cst.Name)
        and node.value.value == facts.msg_var
    )


def literal(node: cst.BaseExpression) -> str | None:
    """The value of a plain string literal (no f-string, no bytes, no concatenation)."""
    if isinstance(node, cst.SimpleString) and "b" not in node.prefix.lower():
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def block_statements(suite: cst.BaseSuite) -> list[cst.BaseStatement]:
    """The statements of a suite; a one-line suite (`if x: a(); b()`) becomes one line."""
    if isinstance(suite, cst.IndentedBlock):
        return list(suite.body)
    assert isinstance(suite, cst.SimpleStatementSuite)
    return [cst.SimpleStatementLine(body=suite.body)]


def is_self_attr(node: cst.BaseExpression | None, attr: str | None = None) -> str | None:
    """`self.<x>` (optionally only when x == attr): returns x, else None."""
    if (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value == "self"
        and (attr is None or node.attr.value == attr)
    ):
        return node.attr.value
    return None


def method_call_assignment(stmt: cst.BaseStatement) -> tuple[str, cst.Attribute, cst.Call] | None:
    """`name = obj.method(...)` alone on its line: returns (name, `obj.method`, the call)."""
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
        return None
    assign = stmt.body[0]
    if not (
        isinstance(assign, cst.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0].target, cst.Name)
        and isinstance(assign.value, cst.Call)
        and isinstance(assign.value.func, cst.Attribute)
    ):
        return None
    return assign.targets[0].target.value, assign.value.func, assign.value


def isinstance_of_cmd(node: cst.BaseExpression, facts: Facts) -> cst.Call | None:
    """`isinstance(cmd, X)` on the decoded command: returns the call, else None."""
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == "isinstance"
        and len(node.args) == 2
        and is_cmd(node.args[0].value, facts)
    ):
        return node
    return None

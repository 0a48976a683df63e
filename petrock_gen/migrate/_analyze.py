"""Reading an old-style worker class: its `work()`, the loop, the plumbing and the dispatch."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst

from petrock_gen.migrate._model import (
    Dispatch,
    Facts,
    LoopMatch,
    Pattern,
    Refusal,
    block_statements,
    is_self_attr,
    literal,
)
from petrock_gen.migrate._plumbing import check_locals, find_dispatch, strip_plumbing
from petrock_gen.migrate._walk import iter_nodes

__all__ = ["ClassPlan", "Disabled", "ModuleNames", "find_work", "literal_names", "plan_class"]

Line = Callable[[cst.CSTNode], int]


class Disabled(Exception):
    """The class is an old-style worker, but the pattern it needs is disabled (`--only/--skip`)."""


@dataclass
class ClassPlan:
    """Everything the builder needs to rewrite one class."""

    cls: cst.ClassDef
    work: cst.FunctionDef
    loop: LoopMatch
    facts: Facts
    dispatch: Dispatch
    before: list[cst.BaseStatement]
    after: list[cst.BaseStatement]
    wrapper: cst.Try | None
    periodic: list[cst.BaseStatement]
    docstring: cst.BaseStatement | None
    bump_before: bool
    guarded: bool
    name_binding: cst.BaseStatement | None
    bump: cst.BaseStatement
    notes: list[tuple[int, str]] = field(default_factory=list)


def find_work(cls: cst.ClassDef) -> cst.FunctionDef | None:
    """The `work` method defined directly in the class body, if any."""
    if not isinstance(cls.body, cst.IndentedBlock):
        return None
    for stmt in cls.body.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == "work":
            return stmt
    return None


ModuleNames = tuple[Mapping[str, str], frozenset[str], Mapping[str, frozenset[str]]]


def literal_names(module: cst.Module) -> ModuleNames:
    """Top-level classes with a literal command name, the names of subclassed classes, and the
    fields (annotated names) each top-level class declares."""
    found: dict[str, str] = {}
    bases: set[str] = set()
    fields: dict[str, frozenset[str]] = {}
    for stmt in module.body:
        if not isinstance(stmt, cst.ClassDef):
            continue
        fields[stmt.name.value] = _fields(stmt)
        for arg in stmt.bases:
            if isinstance(arg.value, cst.Name):
                bases.add(arg.value.value)
        for arg in stmt.keywords:
            if arg.keyword is not None and arg.keyword.value == "name":
                text = literal(arg.value)
                if text is not None:
                    found[stmt.name.value] = text
        for line in stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else ():
            text = _name_attribute(line)
            if text is not None:
                found.setdefault(stmt.name.value, text)
    return found, frozenset(bases), fields


def _fields(cls: cst.ClassDef) -> frozenset[str]:
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    return frozenset(
        small.target.value
        for line in body
        if isinstance(line, cst.SimpleStatementLine)
        for small in line.body
        if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name)
    )


def _name_attribute(line: cst.BaseStatement) -> str | None:
    if not (isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1):
        return None
    small = line.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Name) and target.value == "name":
            return literal(small.value)
    if (
        isinstance(small, cst.AnnAssign)
        and small.value is not None
        and isinstance(small.target, cst.Name)
        and small.target.value == "name"
    ):
        return literal(small.value)
    return None


def plan_class(
    cls: cst.ClassDef,
    patterns: Sequence[Pattern],
    all_patterns: Sequence[Pattern],
    module_names: ModuleNames,
    line: Line,
) -> ClassPlan | None:
    """The plan for `cls`; None when it is not an old-style worker; raises Refusal or Disabled."""
    work = find_work(cls)
    if work is None:
        return None
    loop = _find_loop(work, patterns, all_patterns, line)
    if loop is None:
        return None
    _check_work(cls, work, loop, line)
    docstring, pre, post = _split_work(work, loop)
    facts = Facts(
        class_name=cls.name.value,
        msg_var=loop.msg_var,
        cmd_var=None,
        name_var=None,
        literal_names=module_names[0],
        subclassed=module_names[1],
        fields=module_names[2],
        init_tables=_init_tables(cls),
        line=line,
    )
    return _plan_body(cls, work, loop, facts, patterns, all_patterns, docstring, pre, post)


def _find_loop(
    work: cst.FunctionDef, patterns: Sequence[Pattern], all_patterns: Sequence[Pattern], line: Line
) -> LoopMatch | None:
    for pattern in all_patterns:
        if pattern.match_loop is None:
            continue
        loop = pattern.match_loop(work, line)
        if loop is not None:
            if pattern not in patterns:
                raise Disabled(f"its loop needs the disabled pattern `{pattern.id}`")
            return loop
    return None


def _check_work(cls: cst.ClassDef, work: cst.FunctionDef, loop: LoopMatch, line: Line) -> None:
    where = line(work)
    if work.decorators:
        raise Refusal(where, "`work()` is decorated")
    params = work.params
    extra = isinstance(params.star_arg, cst.Param | cst.ParamStar) or params.star_kwarg is not None
    if len(params.params) != 1 or extra or params.kwonly_params or params.posonly_params:
        raise Refusal(where, "`work()` takes parameters besides `self`")
    _check_forbidden(work, line)
    if loop.cursor is None:
        raise Refusal(line(loop.node), "the loop's cursor is not a `self.<attribute>`")
    _check_else(loop, line)
    if not loop.body:
        raise Refusal(
            line(loop.node),
            "the message loop body is on one line, so it has no dispatch on a command name",
        )
    for stmt in cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ():
        if stmt is not work and "work" in _self_attrs(stmt):
            raise Refusal(line(stmt), "another method calls `self.work`")


_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
_LOOPS = (cst.For, cst.While)


def _check_else(loop: LoopMatch, line: Line) -> None:
    """A `for` loop's `else:` runs after the loop unless a `break` stopped it: without a
    loop-level `break` it is code after the loop (periodic work); anything else is refused."""
    orelse = loop.node.orelse
    if orelse is None:
        return
    if isinstance(loop.node, cst.While):
        raise Refusal(
            line(orelse), "the `else:` of the `while True:` message loop never runs; delete it"
        )
    stop = _loop_break(loop.node.body)
    if stop is not None:
        raise Refusal(
            line(stop),
            "this `break` skips the message loop's `else:`, which the runtime cannot express; "
            "move the `else:` code after the loop or drop the `break`",
        )


def _loop_break(root: cst.CSTNode) -> cst.Break | None:
    """The first `break` of the loop whose body is `root` (not an inner loop's, nor a nested
    function's; an inner loop's `else:` still breaks this loop)."""
    for node in iter_nodes(root, prune=lambda n: type(n) in _SCOPES or type(n) in _LOOPS):
        if type(node) is cst.Break:
            return cst.ensure_type(node, cst.Break)
        if isinstance(node, cst.For | cst.While) and node.orelse is not None:
            found = _loop_break(node.orelse)
            if found is not None:
                return found
    return None


def _check_forbidden(work: cst.FunctionDef, line: Line) -> None:
    """Refuse what has no place in a module-level handler: generators, `super()`, scope tricks."""
    for node in iter_nodes(work.body, prune=lambda n: type(n) in _SCOPES):
        kind = type(node)
        if kind is cst.Yield:
            raise Refusal(line(node), "`work()` is a generator (`yield`); the runtime has none")
        if kind is cst.Global or kind is cst.Nonlocal:
            raise Refusal(line(node), "`work()` declares `global` or `nonlocal` names")
        if isinstance(node, cst.Return) and node.value is not None:
            raise Refusal(line(node), "`work()` returns a value its callers may use")
        if isinstance(node, cst.Name) and node.value == "super":
            raise Refusal(line(node), "`work()` calls `super()`")


def _self_attrs(node: cst.CSTNode) -> list[str]:
    found = (is_self_attr(n) for n in iter_nodes(node) if type(n) is cst.Attribute)
    return [name for name in found if name is not None]


def _split_work(
    work: cst.FunctionDef, loop: LoopMatch
) -> tuple[cst.BaseStatement | None, list[cst.BaseStatement], list[cst.BaseStatement]]:
    body = block_statements(work.body)
    docstring = None
    if body and _is_docstring(body[0]):
        docstring = body.pop(0)
    index = body.index(loop.node)
    return docstring, body[:index], [*_else_statements(loop), *body[index + 1 :]]


def _else_statements(loop: LoopMatch) -> list[cst.BaseStatement]:
    """The statements of the loop's `else:` (checked by `_check_else`), with the comments around
    the `else:` line moved onto the first one."""
    orelse = loop.node.orelse
    if orelse is None:
        return []
    stmts = block_statements(orelse.body)
    comments = [line for line in orelse.leading_lines if line.comment is not None]
    header = orelse.body.header if isinstance(orelse.body, cst.IndentedBlock) else None
    if header is not None and header.comment is not None:
        comments.append(cst.EmptyLine(comment=header.comment))
    if comments and isinstance(stmts[0], cst.SimpleStatementLine | cst.BaseCompoundStatement):
        first = stmts[0]
        stmts[0] = first.with_changes(leading_lines=[*comments, *first.leading_lines])
    return stmts


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _init_tables(cls: cst.ClassDef) -> dict[str, cst.Dict]:
    """`self.<attr> = {...}` assigned once, in `__init__`, and nowhere else in the class."""
    tables: dict[str, cst.Dict] = {}
    assigned: dict[str, int] = {}
    for method in cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ():
        if not isinstance(method, cst.FunctionDef):
            continue
        for node in _assignments(method):
            for target in node.targets:
                attr = is_self_attr(target.target)
                if attr is not None:
                    assigned[attr] = assigned.get(attr, 0) + 1
                    if method.name.value == "__init__" and isinstance(node.value, cst.Dict):
                        tables[attr] = node.value
    return {k: v for k, v in tables.items() if assigned[k] == 1}


def _assignments(node: cst.CSTNode) -> list[cst.Assign]:
    return [n for n in iter_nodes(node) if type(n) is cst.Assign]


def _plan_body(
    cls: cst.ClassDef,
    work: cst.FunctionDef,
    loop: LoopMatch,
    facts: Facts,
    patterns: Sequence[Pattern],
    all_patterns: Sequence[Pattern],
    docstring: cst.BaseStatement | None,
    pre: list[cst.BaseStatement],
    post: list[cst.BaseStatement],
) -> ClassPlan:
    line = facts.line
    assert loop.cursor is not None
    plumbing = strip_plumbing(loop.body, facts, loop.cursor, line)
    if plumbing.bump is None:
        raise Refusal(line(loop.node), f"the loop never moves its cursor `self.{loop.cursor}`")
    _check_cursor(cls, loop, plumbing.bump, line)
    check_locals(pre, loop.node, post, line)
    wrapper = None
    stmts = plumbing.kept
    if len(stmts) == 1 and isinstance(stmts[0], cst.Try):
        wrapper = stmts[0]
        stmts = block_statements(wrapper.body)
    dispatch = find_dispatch(stmts, facts, patterns, all_patterns, loop.node)
    return ClassPlan(
        cls=cls,
        work=work,
        loop=loop,
        facts=facts,
        dispatch=dispatch,
        before=stmts[: dispatch.start],
        after=stmts[dispatch.stop :],
        wrapper=wrapper,
        periodic=[*pre, *post],
        docstring=docstring,
        bump_before=plumbing.bump_in_finally
        or _path(loop.body, plumbing.bump) < _path(loop.body, stmts[dispatch.start]),
        guarded=plumbing.guarded,
        name_binding=plumbing.name_binding,
        bump=plumbing.bump,
    )


def _check_cursor(cls: cst.ClassDef, loop: LoopMatch, bump: cst.BaseStatement, line: Line) -> None:
    """The cursor may only appear in `__init__`, the loop head and the bump."""
    assert loop.cursor is not None
    head: cst.CSTNode = loop.node.iter if isinstance(loop.node, cst.For) else loop.node.body.body[0]
    skip = {id(n) for n in (*_self_attr_nodes(head), *_self_attr_nodes(bump))}

    def init(node: cst.CSTNode) -> bool:
        return isinstance(node, cst.FunctionDef) and node.name.value == "__init__"

    found = [
        n
        for n in iter_nodes(cls.body, prune=init)
        if type(n) is cst.Attribute and is_self_attr(n, loop.cursor) and id(n) not in skip
    ]
    if found:
        raise Refusal(
            line(found[0]),
            f"the cursor `self.{loop.cursor}` is used outside the loop plumbing",
        )


def _path(body: Sequence[cst.BaseStatement], node: cst.BaseStatement) -> tuple[int, ...]:
    """Where `node` sits in the loop body: (index,) at the top, (index, part, index) in a `try:`
    (part 0 its body, 1 its `finally:`), to tell which of two statements runs first."""
    for index, stmt in enumerate(body):
        if stmt is node:
            return (index,)
        if isinstance(stmt, cst.Try):
            parts = [block_statements(stmt.body)]
            if stmt.finalbody is not None:
                parts.append(block_statements(stmt.finalbody.body))
            for part, stmts in enumerate(parts):
                for inner, candidate in enumerate(stmts):
                    if candidate is node:
                        return (index, part, inner)
    return (len(body),)


def _self_attr_nodes(node: cst.CSTNode) -> list[cst.Attribute]:
    return [n for n in iter_nodes(node) if type(n) is cst.Attribute and is_self_attr(n)]

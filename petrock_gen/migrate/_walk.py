"""A fast read-only walk over a libcst tree.

`CSTNode.visit` rebuilds every node it passes, even for a read-only visitor; walking the dataclass
fields directly is several times faster, and all the migrator's analysis only reads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator

import libcst as cst

__all__ = ["iter_nodes", "name_reads", "replace_self"]

_FIELDS: dict[tuple[type, bool], tuple[str, ...]] = {}

# Fields that only ever hold whitespace, comments and punctuation.
_TRIVIA = frozenset(
    {
        "lpar", "rpar", "comma", "semicolon", "leading_lines", "equal", "lbrace", "rbrace",
        "lbracket", "rbracket", "colon", "footer", "header", "trailing_whitespace", "newline",
        "lines_after_decorators", "dot", "whitespace", "comment",
    }
)  # fmt: skip


def _fields(cls: type, trivia: bool = True) -> tuple[str, ...]:
    """The fields of a node class that may hold nodes (their annotation names a libcst type),
    without whitespace and punctuation unless `trivia`; computed once per class."""
    known = _FIELDS.get((cls, trivia))
    if known is None:
        known = _FIELDS[(cls, trivia)] = tuple(
            f.name
            for f in dataclasses.fields(cls)
            if "libcst" in str(f.type)
            and (trivia or (f.name not in _TRIVIA and not f.name.startswith("whitespace")))
        )
    return known


def iter_nodes(
    roots: cst.CSTNode | Iterable[cst.CSTNode],
    prune: Callable[[cst.CSTNode], bool] | None = None,
    *,
    trivia: bool = False,
) -> Iterator[cst.CSTNode]:
    """Every node under `roots` (included), in source order; a node for which `prune` is true is
    yielded but not entered (roots are always entered). Whitespace, comments and punctuation are
    left out unless `trivia`."""
    starts = [roots] if isinstance(roots, cst.CSTNode) else list(roots)
    stack = list(reversed(starts))
    top = {id(r) for r in starts}
    node_base = cst.CSTNode
    while stack:
        node = stack.pop()
        yield node
        if prune is not None and id(node) not in top and prune(node):
            continue
        children: list[cst.CSTNode] = []
        for name in _fields(type(node), trivia):
            value = getattr(node, name)
            kind = type(value)
            if kind is list or kind is tuple:
                children.extend(v for v in value if _is_node(v, node_base))
            elif _is_node(value, node_base):
                children.append(value)
        stack.extend(reversed(children))


_IS_NODE: dict[type, bool] = {}


def _is_node(value: object, base: type) -> bool:
    known = _IS_NODE.get(type(value))
    if known is None:
        known = _IS_NODE[type(value)] = isinstance(value, base)
    return known


def name_reads(roots: cst.CSTNode | Iterable[cst.CSTNode], name: str) -> int:
    """How often the identifier `name` is spelled under `roots`, attribute names (`x.name`) aside."""
    nodes = list(iter_nodes(roots))
    attrs = {id(n.attr) for n in nodes if type(n) is cst.Attribute}
    return sum(1 for n in nodes if type(n) is cst.Name and n.value == name and id(n) not in attrs)


_SKIP_NAMES: dict[type, str] = {cst.Attribute: "attr", cst.Arg: "keyword"}


def replace_self(node: cst.CSTNode, ctx: str, msg: str) -> cst.CSTNode:
    """`self` -> `ctx.state` and `msg.decoded_payload` -> `msg.payload` under `node`, rebuilding
    only the nodes on the way to a change. Nested classes, and nested functions with their own
    `self` parameter, keep their `self`; attribute and keyword names are not variables."""
    kind = type(node)
    if kind is cst.Name:
        if node.value == "self":  # type: ignore[attr-defined]
            state = cst.Attribute(cst.Name(ctx), cst.Name("state"))
            return state.with_changes(lpar=node.lpar, rpar=node.rpar)  # type: ignore[attr-defined]
        return node
    if kind is cst.ClassDef:
        return node
    if kind is cst.FunctionDef and any(
        p.name.value == "self"
        for p in node.params.params  # type: ignore[attr-defined]
    ):
        return node
    skip = _SKIP_NAMES.get(kind)
    changes: dict[str, object] = {}
    for name in _fields(kind, False):
        if name == skip:
            continue
        value = getattr(node, name)
        vtype = type(value)
        if vtype is list or vtype is tuple:
            new = [replace_self(v, ctx, msg) if _is_node(v, cst.CSTNode) else v for v in value]
            if any(a is not b for a, b in zip(new, value, strict=True)):
                changes[name] = new
        elif _is_node(value, cst.CSTNode):
            replaced = replace_self(value, ctx, msg)
            if replaced is not value:
                changes[name] = replaced
    if (
        kind is cst.Attribute
        and node.attr.value == "decoded_payload"  # type: ignore[attr-defined]
        and type(node.value) is cst.Name  # type: ignore[attr-defined]
        and node.value.value == msg  # type: ignore[attr-defined]
    ):
        changes["attr"] = cst.Name("payload")
    return node.with_changes(**changes) if changes else node

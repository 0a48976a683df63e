"""A fast read-only walk over a libcst tree.

`CSTNode.visit` rebuilds every node it passes, even for a read-only visitor; walking the dataclass
fields directly is several times faster, and all the migrator's analysis only reads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator

import libcst as cst

__all__ = ["iter_nodes", "name_reads"]

_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def iter_nodes(
    roots: cst.CSTNode | Iterable[cst.CSTNode],
    prune: Callable[[cst.CSTNode], bool] | None = None,
) -> Iterator[cst.CSTNode]:
    """Every node under `roots` (included), in source order; a node for which `prune` is true is
    yielded but not entered (roots are always entered)."""
    starts = [roots] if isinstance(roots, cst.CSTNode) else list(roots)
    stack = list(reversed(starts))
    top = {id(r) for r in starts}
    while stack:
        node = stack.pop()
        yield node
        if prune is not None and id(node) not in top and prune(node):
            continue
        children: list[cst.CSTNode] = []
        for name in _fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                children.append(value)
            elif isinstance(value, list | tuple):
                children.extend(v for v in value if isinstance(v, cst.CSTNode))
        stack.extend(reversed(children))


def name_reads(roots: cst.CSTNode | Iterable[cst.CSTNode], name: str) -> int:
    """How often the identifier `name` is spelled under `roots`, attribute names (`x.name`) aside."""
    nodes = list(iter_nodes(roots))
    attrs = {id(n.attr) for n in nodes if isinstance(n, cst.Attribute)}
    return sum(
        1 for n in nodes if isinstance(n, cst.Name) and n.value == name and id(n) not in attrs
    )

"""Generated names: snake_case from command and class names, never colliding with the module."""

from __future__ import annotations

import keyword
import re
from collections.abc import Sequence

import libcst as cst

__all__ = ["NameAllocator", "identifiers_in", "names_in", "names_of", "snake"]


def snake(text: str) -> str:
    """`media/uploaded` -> `media_uploaded`, `ThumbnailWorker` -> `thumbnail_worker`."""
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", text)
    text = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    if not text or text[0].isdigit():
        text = f"n_{text}"
    return text


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.found.add(node.value)


def names_in(node: cst.CSTNode) -> set[str]:
    """Every identifier spelled anywhere inside `node`."""
    visitor = _Names()
    node.visit(visitor)
    return visitor.found


def names_of(nodes: Sequence[cst.CSTNode]) -> set[str]:
    """Every identifier spelled anywhere inside any of `nodes`."""
    visitor = _Names()
    for node in nodes:
        node.visit(visitor)
    return visitor.found


class NameAllocator:
    """Hands out names not yet used anywhere in the module (`x`, `x_2`, `x_3`, ...)."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)

    def allocate(self, wanted: str) -> str:
        """`wanted`, or the first free `wanted_<n>`; the result is taken from now on."""
        base = f"{wanted}_" if keyword.iskeyword(wanted) else wanted
        name, n = base, 2
        while name in self.taken:
            name, n = f"{base}_{n}", n + 1
        self.taken.add(name)
        return name


class _Identifiers(cst.CSTVisitor):
    """Names that a new module-level name could clash with: not attributes, keywords, params, or
    the names of functions and classes nested in other scopes."""

    def __init__(self) -> None:
        self.found: set[str] = set()
        self.depth = 0
        self._skip: list[cst.CSTNode] = []

    def _skipped(self, node: cst.CSTNode) -> bool:
        return any(node is s for s in self._skip)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.append(node.attr)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.append(node.keyword)

    def visit_Param(self, node: cst.Param) -> None:
        self._skip.append(node.name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.depth:
            self._skip.append(node.name)
        self.depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.depth:
            self._skip.append(node.name)
        self.depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.depth -= 1

    def visit_Name(self, node: cst.Name) -> None:
        if self._skip and self._skip[-1] is node:
            self._skip.pop()
            return
        if not self._skipped(node):
            self.found.add(node.value)


def identifiers_in(module: cst.Module) -> set[str]:
    """Every name a new top-level function or import could shadow or be shadowed by."""
    visitor = _Identifiers()
    module.visit(visitor)
    return visitor.found

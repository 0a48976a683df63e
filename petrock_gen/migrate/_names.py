"""Generated names: snake_case from command and class names, never colliding with the module."""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Sequence

import libcst as cst

from petrock_gen.migrate._walk import iter_nodes

__all__ = ["NameAllocator", "identifiers_in", "names_in", "names_of", "snake"]


def snake(text: str) -> str:
    """`media/uploaded` -> `media_uploaded`, `ThumbnailWorker` -> `thumbnail_worker`."""
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", text)
    text = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    if not text or text[0].isdigit():
        text = f"n_{text}"
    return text


def names_in(node: cst.CSTNode) -> set[str]:
    """Every identifier spelled anywhere inside `node`."""
    return {n.value for n in iter_nodes(node) if type(n) is cst.Name}


def names_of(nodes: Sequence[cst.CSTNode]) -> set[str]:
    """Every identifier spelled anywhere inside any of `nodes`."""
    return {n.value for n in iter_nodes(nodes) if type(n) is cst.Name}


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


def identifiers_in(tree: ast.Module) -> set[str]:
    """Every name a new top-level function or import could shadow or be shadowed by: variables
    read or bound anywhere, top-level definitions, imported names (not attribute names)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.alias):
            found.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.Global | ast.Nonlocal):
            found.update(node.names)
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(stmt.name)
    return found

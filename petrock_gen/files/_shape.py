"""The top level of a Python module, read with `ast` (fast): defs, imports, bound names."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

__all__ = ["NotParseableError", "Shape", "shape_of"]


class NotParseableError(Exception):
    """The user's file is not valid Python, so it cannot be extended structurally."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Shape:
    """Top-level functions and classes (in order), imported names and every bound name."""

    defs: list[str] = field(default_factory=list)
    from_imports: list[tuple[str, str, str | None]] = field(default_factory=list)
    imports: list[tuple[str, str | None]] = field(default_factory=list)
    bound: set[str] = field(default_factory=set)


def shape_of(text: str) -> Shape:
    """The shape of `text`; `NotParseableError` (with the line) when it is not valid Python."""
    try:
        module = ast.parse(text)
    except SyntaxError as error:
        raise NotParseableError(error.lineno or 1, error.msg) from None
    shape = Shape()
    for stmt in module.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            shape.defs.append(stmt.name)
            shape.bound.add(stmt.name)
        elif isinstance(stmt, ast.ImportFrom):
            where = "." * stmt.level + (stmt.module or "")
            for alias in stmt.names:
                if alias.name != "*":
                    shape.from_imports.append((where, alias.name, alias.asname))
                    shape.bound.add(alias.asname or alias.name)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                shape.imports.append((alias.name, alias.asname))
                shape.bound.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            shape.bound.update(t.id for t in targets if isinstance(t, ast.Name))
    return shape

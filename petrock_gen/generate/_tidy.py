"""Keep extended import statements in ruff's order.

When the file engine extends a user file it appends new names to an existing
`from x import a, b` statement. If the user's statement was in ruff's (isort) order, the result
should be too, or `ruff check` fails in the user's project after `petrock new command|worker`.
Only statements whose names the engine changed are touched, only when they were sorted before,
have no aliases and no comments; everything else stays byte for byte.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

from petrock_gen.files import Plan
from petrock_gen.generate._imports import import_line, member_key

__all__ = ["sort_extended_imports", "tidy_plan"]


def tidy_plan(plan: Plan, root: Path) -> None:
    """Sort the names the engine added to import statements of merged Python files, in place."""
    for index, action in enumerate(plan.actions):
        if action.status != "merge" or action.content is None or not action.path.endswith(".py"):
            continue
        try:
            before = (root / action.path).read_text(encoding="utf-8")
        except OSError:
            continue
        tidied = sort_extended_imports(before, action.content)
        if tidied != action.content:
            plan.actions[index] = replace(action, content=tidied)


def sort_extended_imports(before: str, after: str) -> str:
    """`after` with every extended, previously sorted `from x import ...` put back in order."""
    try:
        old_tree, new_tree = ast.parse(before), ast.parse(after)
    except SyntaxError:
        return after
    old = {n.module: [a.name for a in n.names] for n in _from_imports(old_tree)}
    lines = after.splitlines(keepends=True)
    for node in reversed(_from_imports(new_tree)):
        names = [a.name for a in node.names]
        previous = old.get(node.module)
        if previous is None or previous == names or any(a.asname for a in node.names):
            continue
        ordered = sorted(names, key=member_key)
        if names == ordered or previous != sorted(previous, key=member_key):
            continue
        start, end = node.lineno - 1, node.end_lineno or node.lineno
        if any("#" in line for line in lines[start:end]):
            continue
        lines[start:end] = [import_line(node.module or "", ordered) + "\n"]
    return "".join(lines)


def _from_imports(tree: ast.Module) -> list[ast.ImportFrom]:
    return [
        node
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
    ]

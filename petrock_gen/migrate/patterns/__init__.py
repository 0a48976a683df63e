"""The migration patterns, one module each; `PATTERNS` lists them in the order they are tried.

Loop patterns find the message loop of `work()`; dispatch patterns find how the loop body picks a
branch per command name. The first pattern of each kind that matches wins. A module's name is its id
(`--only`, `--skip`), and its docstring shows the code before and after.
"""

from __future__ import annotations

from petrock_gen.migrate._model import Pattern
from petrock_gen.migrate.patterns import (
    dict_table,
    for_loop,
    if_chain,
    isinstance_chain,
    match_dispatch,
    while_loop,
)

__all__ = ["PATTERNS", "select"]

PATTERNS: tuple[Pattern, ...] = (
    for_loop.PATTERN,
    while_loop.PATTERN,
    isinstance_chain.PATTERN,
    if_chain.PATTERN,
    match_dispatch.PATTERN,
    dict_table.PATTERN,
)


def select(only: list[str] | None = None, skip: list[str] | None = None) -> tuple[Pattern, ...]:
    """The patterns left after `--only` and `--skip`; raises ValueError naming an unknown id."""
    known = {p.id for p in PATTERNS}
    for pattern_id in [*(only or []), *(skip or [])]:
        if pattern_id not in known:
            raise ValueError(pattern_id)
    return tuple(
        p for p in PATTERNS if (not only or p.id in only) and (not skip or p.id not in skip)
    )

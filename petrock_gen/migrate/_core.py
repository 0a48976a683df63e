"""The migration of one source text: parse, transform, format what was written."""

from __future__ import annotations

import re
from collections.abc import Sequence

import libcst as cst

from petrock_gen.migrate._format import format_ranges
from petrock_gen.migrate._model import Pattern
from petrock_gen.migrate._report import ClassResult
from petrock_gen.migrate._transform import transform_module
from petrock_gen.migrate.patterns import PATTERNS

__all__ = ["may_contain_worker", "migrate_source"]

_WORK = re.compile(r"^[ \t]+(?:async[ \t]+)?def[ \t]+work[ \t]*\(", re.MULTILINE)


def may_contain_worker(text: str) -> bool:
    """False when `text` cannot hold an old-style worker (no class with a `def work(`): no parse."""
    return "class " in text and _WORK.search(text) is not None


def migrate_source(
    code: str,
    path: str = "<string>",
    patterns: Sequence[Pattern] = PATTERNS,
    *,
    format_code: bool = True,
) -> tuple[str, list[ClassResult]]:
    """Migrate every old-style worker in `code`; returns the new code and one result per class.

    Raises `libcst.ParserSyntaxError` when `code` does not parse. `path` is used to find the ruff
    configuration for formatting the written code.
    """
    if not may_contain_worker(code):
        return code, []
    module = cst.parse_module(code)
    done = transform_module(module, patterns, PATTERNS, code, path)
    if done.code is None:
        return code, done.classes
    new_code = done.code
    if format_code:
        new_code = format_ranges(new_code, path, done.ranges)
    return new_code, done.classes

"""Formatting only what the migrator wrote: `ruff format --range`, one range at a time."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from functools import cache

from petrock_gen.errors import PetrockError

__all__ = ["FormatError", "format_ranges"]


class FormatError(PetrockError):
    """ruff could not format the migrated code (a bug in the migrator: the code should parse)."""


@cache
def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    return str(find_ruff_bin())


def format_ranges(code: str, path: str, ranges: Sequence[tuple[int, int]]) -> str:
    """Format lines `start..end` (1-based, inclusive) of `code` with the project's ruff settings.

    `path` only tells ruff where the file lives, so it finds the project's configuration. Ranges are
    formatted from the last to the first, so earlier line numbers stay valid.
    """
    crlf = "\r\n" in code
    if crlf:  # ruff would turn every line ending to "\n"; keep the file's own
        code = code.replace("\r\n", "\n")
    for start, end in sorted(ranges, reverse=True):
        code = _format_range(code, path, start, end)
    return code.replace("\n", "\r\n") if crlf else code


def _format_range(code: str, path: str, start: int, end: int) -> str:
    command = [_ruff(), "format", f"--range={start}-{end + 1}", "--stdin-filename", path, "-"]
    done = subprocess.run(command, input=code, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise FormatError(f"ruff format failed on {path}: {done.stderr.strip()}")
    return done.stdout

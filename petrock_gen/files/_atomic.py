"""All-or-nothing file writes: every temporary file first, then one `os.replace` per file."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Staged", "discard", "stage"]


@dataclass(frozen=True)
class Staged:
    """A temporary file written next to its target, waiting for `os.replace`."""

    target: Path
    temp: Path

    def commit(self) -> None:
        """Move the temporary file over the target (atomic on POSIX and Windows)."""
        os.replace(self.temp, self.target)


def _create(target: Path) -> tuple[int, Path]:
    """Create a new, empty temporary file next to `target`, with `target`'s permissions."""
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    while True:
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.petrock-tmp")
        try:
            fd = os.open(
                temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else mode
            )
        except FileExistsError:
            continue
        if mode is not None and os.fstat(fd).st_mode & 0o7777 != mode:
            os.fchmod(fd, mode)  # the umask took bits the target has
        return fd, temp


def stage(writes: Sequence[tuple[Path, str]]) -> list[Staged]:
    """Write every text to a temporary file in its target's folder; on error remove them all."""
    staged: list[Staged] = []
    made: set[Path] = set()
    try:
        for target, text in writes:
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            fd, temp = _create(target)
            staged.append(Staged(target, temp))
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("utf-8"))
    except BaseException:
        discard(staged)
        raise
    return staged


def discard(staged: Sequence[Staged]) -> None:
    """Remove temporary files that were not committed."""
    for item in staged:
        with contextlib.suppress(FileNotFoundError):
            item.temp.unlink()

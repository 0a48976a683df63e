"""All-or-nothing file writes: every temporary file first, then one `os.replace` per file."""

from __future__ import annotations

import contextlib
import os
import tempfile
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _create(target: Path, default_mode: int) -> tuple[int, Path]:
    """Create a new, empty temporary file next to `target`, with `target`'s permissions."""
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = default_mode
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".petrock-tmp")
    os.fchmod(fd, mode)  # mkstemp makes it 0600
    return fd, Path(name)


def stage(writes: Sequence[tuple[Path, str]]) -> list[Staged]:
    """Write every text to a temporary file in its target's folder; on error remove them all."""
    staged: list[Staged] = []
    made: set[Path] = set()
    default_mode = 0o666 & ~_umask()
    try:
        for target, text in writes:
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            fd, temp = _create(target, default_mode)
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

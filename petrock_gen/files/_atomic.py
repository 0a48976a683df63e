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


def stage(writes: Sequence[tuple[Path, str]]) -> list[Staged]:
    """Write every text to a temporary file in its target's folder; on error remove them all."""
    staged: list[Staged] = []
    mode = 0o666 & ~_umask()
    try:
        for target, text in writes:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".petrock-tmp"
            )
            staged.append(Staged(target, Path(name)))
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("utf-8"))
            try:
                os.chmod(name, os.stat(target).st_mode & 0o7777)
            except FileNotFoundError:
                os.chmod(name, mode)
    except BaseException:
        discard(staged)
        raise
    return staged


def discard(staged: Sequence[Staged]) -> None:
    """Remove temporary files that were not committed."""
    for item in staged:
        with contextlib.suppress(FileNotFoundError):
            item.temp.unlink()

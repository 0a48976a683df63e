"""The values the generator hands to the file engine and the decisions the engine makes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["STATUSES", "FileAction", "Kind", "RenderedFile", "Status"]

Kind = Literal["generated", "user"]
Status = Literal["create", "update", "merge", "identical", "skip", "conflict", "deleted"]
STATUSES: tuple[Status, ...] = (
    "create",
    "update",
    "merge",
    "identical",
    "skip",
    "conflict",
    "deleted",
)


@dataclass(frozen=True)
class RenderedFile:
    """One file as the templates render it now.

    `path` is a posix path relative to the project root; `content` the full, ruff-formatted text.
    `kind` "generated": petrock owns the file; it is re-rendered every time and the user's edits are
    merged three ways against the last render. `kind` "user": created once, afterwards only extended
    structurally (new top-level functions, classes and imported names); nothing is ever removed.
    """

    path: str
    content: str
    kind: Kind = "generated"


@dataclass(frozen=True)
class FileAction:
    """What the engine will do with one file.

    `content` is what will be written (None when nothing is written). `detail` explains the status
    in a few words. `conflicts` counts the conflict blocks written into the file; `orphaned` lists
    the functions and classes a user file still has although the templates no longer render them.
    """

    path: str
    status: Status
    content: str | None
    detail: str = ""
    conflicts: int = 0
    orphaned: tuple[str, ...] = ()

    @property
    def writes(self) -> bool:
        """True when applying the plan writes this file."""
        return self.content is not None

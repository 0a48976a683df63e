"""Commands the golden cases dispatch on; all share the fields `key` and `amount`."""

from __future__ import annotations

from dataclasses import dataclass

from petrock_runtime import Command

__all__ = ["ALL", "Added", "Flagged", "Ignored", "Notified", "Removed", "Renamed"]


@dataclass(frozen=True)
class Added(Command, name="demo/added"):
    key: str
    amount: int = 0


@dataclass(frozen=True)
class Removed(Command, name="demo/removed"):
    key: str
    amount: int = 0


@dataclass(frozen=True)
class Renamed(Command, name="demo/renamed"):
    key: str
    amount: int = 0


@dataclass(frozen=True)
class Flagged(Command, name="demo/flagged"):
    key: str
    amount: int = 0


@dataclass(frozen=True)
class Ignored(Command, name="other/ignored"):
    key: str
    amount: int = 0


@dataclass(frozen=True)
class Notified(Command, name="demo/notified"):
    key: str
    amount: int = 0


ALL = (Added, Removed, Renamed, Flagged, Ignored)

"""Placeholder; filled below."""

from __future__ import annotations

__all__ = ["MessageLogContract"]


class MessageLogContract:
    pass

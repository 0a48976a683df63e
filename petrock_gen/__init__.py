"""petrock_gen: runtime, generator and migrator for command-sourced apps with background workers."""

from __future__ import annotations

__version__ = "0.2.0.dev0"

__all__ = ["__version__"]

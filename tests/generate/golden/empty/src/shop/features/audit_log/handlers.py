"""Handlers of the audit_log feature's commands.

This file is yours: petrock creates it once and afterwards only adds stubs for new commands and
workers. A handler runs live and again during replay (on every start, `ctx.is_replay` is True):
change state first, then return during replay, then do side effects.
"""

from __future__ import annotations

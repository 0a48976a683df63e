"""The one error base of petrock_gen, shared with the runtime.

`PetrockError` and `UserError(message, hint)` live in `petrock_runtime` (the tool depends on the
runtime, never the other way round) and are re-exported here, so that the tool and the runtime
raise one family of errors. Only the CLI entry point catches them and turns them into a message on
stderr and an exit code; exceptions never print.
"""

from __future__ import annotations

from petrock_runtime._errors import PetrockError, UserError

__all__ = ["PetrockError", "UsageError", "UserError"]


class UsageError(UserError):
    """The command line itself is wrong (exit code 2)."""

    exit_code = 2

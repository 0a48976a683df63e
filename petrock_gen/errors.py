"""The one error base of petrock_gen.

Everything petrock_gen raises on purpose derives from `PetrockError`. `UserError` is for what the user
can fix: it carries a one-line message and an optional hint. Only the CLI entry point catches these and
turns them into a message on stderr and an exit code; exceptions never print.
"""

from __future__ import annotations

__all__ = ["PetrockError", "UsageError", "UserError"]


class PetrockError(Exception):
    """Base of every error petrock_gen raises on purpose."""


class UserError(PetrockError):
    """Something the user can fix: a bad name, a dirty tree, a file that does not parse.

    `message` says what is wrong in one line; `hint` says how to fix it.
    """

    exit_code: int = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message} (hint: {self.hint})"


class UsageError(UserError):
    """The command line itself is wrong (exit code 2)."""

    exit_code = 2

"""Commands: typed, frozen dataclasses with a unique name, validation and a JSON form.

    @dataclass(frozen=True)
    class Charge(Command, name="billing/charge"):
        invoice_id: str
        amount_cents: int

        def validate(self) -> None:
            if self.amount_cents <= 0:
                raise ValidationError("amount_cents", "must be positive")

The name is a class keyword, read back with `Charge.command_name()`; it is never a class attribute
called `name`, because commands with a field called `name` are common. Field types supported by the
JSON form: str, int, float, bool, Decimal, datetime, date, UUID, list[T], T | None, with defaults.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from petrock_gen.errors import PetrockError

__all__ = ["Command", "CommandRegistry", "ValidationError"]


class ValidationError(PetrockError):
    """A command failed validation; `field` names the field ('' for the command as a whole)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class Command:
    """Base of every command. Subclasses are frozen dataclasses declared with `name="feature/verb"`."""

    _command_name: ClassVar[str]

    def __init_subclass__(cls, name: str | None = None, **kwargs: Any) -> None:
        raise NotImplementedError

    @classmethod
    def command_name(cls) -> str:
        """The unique name this command is stored under, e.g. "billing/charge"."""
        raise NotImplementedError

    def validate(self) -> None:
        """Raise `ValidationError` when the command is not acceptable; the default accepts all."""

    def to_json(self) -> bytes:
        """The command's fields as compact JSON bytes (deterministic: keys in field order)."""
        raise NotImplementedError

    @classmethod
    def from_json(cls, data: bytes | str) -> Self:
        """Rebuild a command from `to_json()` output; raises ValueError/TypeError on bad data."""
        raise NotImplementedError


class CommandRegistry:
    """Maps command names to classes, for decoding stored messages. One class per name."""

    def register(self, *classes: type[Command]) -> None:
        """Register command classes; registering the same class twice is a no-op, a second class
        under a taken name raises `ValueError`."""
        raise NotImplementedError

    def get(self, name: str) -> type[Command] | None:
        """The class registered under `name`, or None."""
        raise NotImplementedError

    def decode(self, name: str, data: bytes) -> Command:
        """Decode stored data of command `name`; raises KeyError (unknown) or ValueError (bad data)."""
        raise NotImplementedError

    def names(self) -> list[str]:
        """All registered names, sorted."""
        raise NotImplementedError

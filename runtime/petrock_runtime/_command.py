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

import json
import re
from typing import Any, ClassVar, Self

from petrock_runtime._codec import Codec, codec_for
from petrock_runtime._errors import PetrockError
from petrock_runtime._schema import command_schema

__all__ = ["Command", "CommandRegistry", "ValidationError"]

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$")


class ValidationError(PetrockError):
    """A command failed validation; `field` names the field ('' for the command as a whole)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class Command:
    """Base of every command. Subclasses are frozen dataclasses declared with `name="feature/verb"`.

    A subclass declared without `name` is an abstract intermediate base: it cannot be stored.
    """

    _command_name: ClassVar[str | None] = None

    def __init_subclass__(cls, name: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if name is None:
            # `@dataclass(slots=True)` recreates the class from its namespace, which still holds
            # the name; a plain subclass without a name of its own is an abstract base.
            if "_command_name" not in cls.__dict__:
                cls._command_name = None
            return
        if not _NAME.match(name):
            raise TypeError(
                f"{cls.__qualname__}: invalid command name {name!r}; "
                'use "<feature>/<kebab-name>", e.g. "billing/charge"'
            )
        cls._command_name = name

    @classmethod
    def command_name(cls) -> str:
        """The unique name this command is stored under, e.g. "billing/charge"."""
        name = cls._command_name
        if name is None:
            raise TypeError(f"{cls.__qualname__} has no command name; declare it with name=...")
        return name

    def validate(self) -> None:
        """Raise `ValidationError` when the command is not acceptable; the default accepts all."""

    def to_json(self) -> bytes:
        """The command's fields as compact JSON bytes (deterministic: keys in field order)."""
        return _codec(type(self)).encode(self)

    @classmethod
    def from_json(cls, data: bytes | str) -> Self:
        """Rebuild a command from `to_json()` output; raises ValueError/TypeError on bad data."""
        try:
            raw = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"{cls.command_name()}: not valid JSON: {error}") from None
        result: Self = _codec(cls).fast_decode(raw)
        return result

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) of this command's `to_json()` form: one property per
        field with its JSON type, `required` for the fields without a default, `default` in JSON
        form, no other properties. `title` is the command name."""
        return command_schema(cls, cls.command_name(), _codec(cls).field_encoders)


def codec_of(cls: type[Command]) -> Codec:
    """The (cached) JSON codec of a command class."""
    return _codec(cls)


def _codec(cls: type[Command]) -> Codec:
    codec: Codec | None = cls.__dict__.get("_petrock_codec")
    if codec is None:
        codec = codec_for(cls)
        type.__setattr__(cls, "_petrock_codec", codec)
    return codec


class CommandRegistry:
    """Maps command names to classes, for decoding stored messages. One class per name."""

    def __init__(self) -> None:
        self._classes: dict[str, type[Command]] = {}

    def register(self, *classes: type[Command]) -> None:
        """Register command classes; registering the same class twice is a no-op, a second class
        under a taken name raises `ValueError`."""
        for cls in classes:
            if not (isinstance(cls, type) and issubclass(cls, Command)):
                raise TypeError(f"{cls!r} is not a Command subclass")
            name = cls.command_name()
            _codec(cls)  # unsupported field types fail here, not at the first message
            known = self._classes.get(name)
            if known is not None and known is not cls:
                raise ValueError(
                    f"command name {name!r} is taken by {known.__module__}.{known.__qualname__}; "
                    f"cannot register {cls.__module__}.{cls.__qualname__} too"
                )
            self._classes[name] = cls

    def get(self, name: str) -> type[Command] | None:
        """The class registered under `name`, or None."""
        return self._classes.get(name)

    def decode(self, name: str, data: bytes) -> Command:
        """Decode stored data of command `name`; raises KeyError (unknown) or ValueError (bad data)."""
        cls = self._classes.get(name)
        if cls is None:
            raise KeyError(name)
        try:
            return cls.from_json(data)
        except TypeError as error:
            raise ValueError(str(error)) from None

    def names(self) -> list[str]:
        """All registered names, sorted."""
        return sorted(self._classes)

    def __contains__(self, name: object) -> bool:
        return name in self._classes

    def __len__(self) -> int:
        return len(self._classes)

"""The JSON form of commands: one codec per command class, built from its type hints once.

Plain fields (str, int, float, bool) take a fast path: type checks and `json` only. Other types
(Decimal, datetime, date, UUID, list[T], T | None) go through small converter functions.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from operator import attrgetter
from typing import Any
from uuid import UUID

__all__ = ["Codec", "codec_for"]

Convert = Callable[[Any], Any]
_PLAIN: dict[Any, type] = {str: str, int: int, float: float, bool: bool}
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode


class Codec:
    """Encodes a command instance to JSON bytes and decodes parsed JSON back into an instance."""

    def __init__(self, cls: type, fields: list[tuple[str, Any, bool]]) -> None:
        # fields: (name, annotation, has_default)
        self.cls = cls
        self.names = tuple(name for name, _, _ in fields)
        self._required = frozenset(name for name, _, has_default in fields if not has_default)
        self._known = frozenset(self.names)
        where = cls.__qualname__
        self._plain = [(n, _PLAIN[t]) for n, t, _ in fields if t in _PLAIN]
        self.is_plain = len(self._plain) == len(fields)
        converters = [(n, *_converter(t, f"{where}.{n}")) for n, t, _ in fields]
        self._encoders = [(n, enc) for n, enc, _ in converters]
        self.field_encoders: dict[str, Convert] = dict(self._encoders)  # JSON form of one value
        self._decoders = [(n, dec) for n, _, dec in converters]
        self._get = attrgetter(*self.names) if self.names else None
        no_slots = all("__slots__" not in k.__dict__ for k in cls.__mro__[:-1])
        self._raw_new = no_slots and not hasattr(cls, "__post_init__")
        self.fast_decode: Callable[[Any], Any] = self.decode
        if self.is_plain and self._raw_new and self.names:
            self.fast_decode = _fast_plain_decoder(cls, self._plain, self.decode)

    def encode(self, command: Any) -> bytes:
        """Compact JSON bytes of `command`'s fields, in field order; TypeError on a wrong type."""
        if self.is_plain:
            values = self._values(command)
            for (name, kind), value in zip(self._plain, values, strict=True):
                if type(value) is not kind and not (kind is float and type(value) is int):
                    raise TypeError(_wrong(self.cls, name, kind.__name__, value))
            return _dumps(dict(zip(self.names, values, strict=True))).encode()
        out = {name: enc(getattr(command, name)) for name, enc in self._encoders}
        return _dumps(out).encode()

    def decode(self, raw: Any) -> Any:
        """Build an instance from parsed JSON; TypeError/ValueError naming the field on bad data."""
        if type(raw) is not dict:
            raise TypeError(f"{self.cls.__qualname__}: expected a JSON object")
        if self.is_plain and raw.keys() == self._known:
            for name, kind in self._plain:
                value = raw[name]
                if type(value) is not kind:
                    if kind is float and type(value) is int:
                        raw[name] = float(value)
                    else:
                        raise TypeError(_wrong(self.cls, name, kind.__name__, value))
            if self._raw_new:
                instance: Any = object.__new__(self.cls)
                instance.__dict__.update(raw)
                return instance
            return self.cls(**raw)
        unknown = raw.keys() - self._known
        if unknown:
            raise TypeError(f"{self.cls.__qualname__}: unexpected field {min(unknown)!r}")
        missing = self._required - raw.keys()
        if missing:
            raise TypeError(f"{self.cls.__qualname__}: missing field {min(missing)!r}")
        kwargs = {name: dec(raw[name]) for name, dec in self._decoders if name in raw}
        return self.cls(**kwargs)

    def _values(self, command: Any) -> tuple[Any, ...]:
        if self._get is None:
            return ()
        got = self._get(command)
        return got if len(self.names) > 1 else (got,)


def _fast_plain_decoder(
    cls: type, fields: list[tuple[str, type]], careful: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    """A decoder specialised for one class of plain fields (generated, like dataclasses' own
    methods): exact key set and exact types build the instance directly; anything else (an int
    for a float, a missing or extra key, a wrong type) goes to `careful`, which converts or
    raises the precise error."""
    reads = "; ".join(f"v{i} = raw[{name!r}]" for i, (name, _) in enumerate(fields))
    checks = " and ".join(f"type(v{i}) is t{i}" for i in range(len(fields)))
    source = (
        "def decode(raw):\n"
        f"    if type(raw) is dict and len(raw) == {len(fields)}:\n"
        "        try:\n"
        f"            {reads}\n"
        "        except KeyError:\n"
        "            return careful(raw)\n"
        f"        if {checks}:\n"
        "            instance = new(cls)\n"
        "            instance.__dict__.update(raw)\n"
        "            return instance\n"
        "    return careful(raw)\n"
    )
    namespace: dict[str, Any] = {"cls": cls, "careful": careful, "new": object.__new__}
    namespace.update({f"t{i}": kind for i, (_, kind) in enumerate(fields)})
    exec(source, namespace)
    decode: Callable[[Any], Any] = namespace["decode"]
    return decode


def codec_for(cls: type) -> Codec:
    """Build the codec of a dataclass command class; TypeError on unsupported field types."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__qualname__} must be a dataclass: add @dataclass(frozen=True)")
    hints = typing.get_type_hints(cls)
    fields = [
        (
            f.name,
            hints[f.name],
            f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
        if f.init
    ]
    return Codec(cls, fields)


def _wrong(cls: type, name: str, expected: str, value: Any) -> str:
    return f"{cls.__qualname__}.{name}: expected {expected}, got {type(value).__name__}"


def _converter(hint: Any, where: str) -> tuple[Convert, Convert]:
    """(encode, decode) functions for one annotation."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != 1 or len(typing.get_args(hint)) != 2:
            raise TypeError(f"{where}: only `T | None` unions are supported, not {hint}")
        return _optional(*_converter(args[0], where))
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        if item is Any:
            raise TypeError(f"{where}: give the item type, e.g. list[str]")
        return _list(*_converter(item, where), where)
    simple = _SIMPLE.get(hint)
    if simple is None:
        raise TypeError(
            f"{where}: unsupported field type {hint!r}; use str, int, float, bool, Decimal, "
            "datetime, date, UUID, list[T] or T | None"
        )
    return simple(where)


def _optional(enc: Convert, dec: Convert) -> tuple[Convert, Convert]:
    return (lambda v: None if v is None else enc(v)), (lambda v: None if v is None else dec(v))


def _list(enc: Convert, dec: Convert, where: str) -> tuple[Convert, Convert]:
    def encode(value: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise TypeError(f"{where}: expected a list, got {type(value).__name__}")
        return [enc(v) for v in value]

    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise TypeError(f"{where}: expected a JSON array, got {type(value).__name__}")
        return [dec(v) for v in value]

    return encode, decode


def _checked(
    kind: type, where: str, to_json: Convert, from_json: Convert, json_kind: Any
) -> tuple[Convert, Convert]:
    def encode(value: Any) -> Any:
        ok = isinstance(value, kind) or (kind is float and type(value) is int)
        if not ok or (type(value) is bool and kind is not bool):
            raise TypeError(f"{where}: expected {kind.__name__}, got {type(value).__name__}")
        return to_json(value)

    def decode(value: Any) -> Any:
        if not isinstance(value, json_kind) or (type(value) is bool and kind is not bool):
            raise TypeError(f"{where}: expected {kind.__name__}, got {type(value).__name__}")
        try:
            return from_json(value)
        except (ValueError, InvalidOperation) as error:
            raise ValueError(f"{where}: invalid {kind.__name__} {value!r}: {error}") from None

    return encode, decode


def _same(value: Any) -> Any:
    return value


def _exact(kind: type) -> Callable[[str], tuple[Convert, Convert]]:
    json_kind: Any = (int, float) if kind is float else kind
    return lambda where: _checked(kind, where, _same, kind, json_kind)


def _datetime_only(where: str) -> tuple[Convert, Convert]:
    return _checked(datetime, where, datetime.isoformat, datetime.fromisoformat, str)


def _date_only(where: str) -> tuple[Convert, Convert]:
    encode, decode = _checked(date, where, date.isoformat, date.fromisoformat, str)

    def strict(value: Any) -> Any:
        if isinstance(value, datetime):
            raise TypeError(f"{where}: expected date, got datetime")
        return encode(value)

    return strict, decode


_SIMPLE: dict[Any, Callable[[str], tuple[Convert, Convert]]] = {
    str: _exact(str),
    int: _exact(int),
    float: _exact(float),
    bool: _exact(bool),
    Decimal: lambda where: _checked(Decimal, where, str, Decimal, (str, int)),
    datetime: _datetime_only,
    date: _date_only,
    UUID: lambda where: _checked(UUID, where, str, UUID, str),
}

"""JSON Schema (draft 2020-12) of a command's JSON form, built from its type hints like its codec.

Each field type maps to the JSON the codec writes and reads: str, int, float and bool to JSON
strings, integers, numbers and booleans; Decimal to a decimal string (or an integer); datetime,
date and UUID to ISO strings; list[T] to an array; T | None to T or null. Fields without a default
are required; defaults are given in their JSON form; unknown fields are refused.
"""

from __future__ import annotations

import copy
import dataclasses
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

__all__ = ["command_schema"]

_DATE = r"\d{4}-\d{2}-\d{2}"
_TIME = r"\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
_OFFSET = r"([+-]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?|Z)?"
_SIMPLE: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    Decimal: {
        "anyOf": [
            {
                "type": "string",
                "pattern": r"^[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|Infinity|Inf|s?NaN)$",
            },
            {"type": "integer"},
        ],
        "description": "a decimal number, as a string",
    },
    datetime: {
        "type": "string",
        "pattern": f"^{_DATE}[T ]{_TIME}{_OFFSET}$",
        "description": "an ISO 8601 date and time, e.g. 2024-05-01T12:30:00+00:00",
    },
    date: {"type": "string", "format": "date", "pattern": f"^{_DATE}$"},
    UUID: {"type": "string", "format": "uuid"},
}


def command_schema(cls: type, name: str, encode: dict[str, Any]) -> dict[str, Any]:
    """The schema of command class `cls` stored as `name`; `encode` maps a field to its codec
    encoder, which gives defaults their JSON form."""
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        schema = dict(_type_schema(hints[field.name]))
        default = _default(field)
        if default is dataclasses.MISSING:
            required.append(field.name)
        else:
            schema["default"] = encode[field.name](default)
        properties[field.name] = schema
    result: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": name,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    doc = cls.__doc__
    if doc and not doc.startswith(f"{cls.__name__}("):  # not the signature dataclass writes
        result["description"] = doc.strip().splitlines()[0]
    return result


def _default(field: dataclasses.Field[Any]) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


def _type_schema(hint: Any) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (item,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return {"anyOf": [_type_schema(item), {"type": "null"}]}
    if origin is list:
        (item,) = typing.get_args(hint)
        return {"type": "array", "items": _type_schema(item)}
    return copy.deepcopy(_SIMPLE[hint])

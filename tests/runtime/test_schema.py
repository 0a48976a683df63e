"""`Command.json_schema()`: every encoded command validates against its schema, and the schema
refuses what the codec refuses (wrong types, missing required fields, unknown fields)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from petrock_runtime import Command

CHECKS = settings(derandomize=bool(os.environ.get("CI")), deadline=None, max_examples=200)


@dataclass(frozen=True, kw_only=True)
class Everything(Command, name="test/everything"):
    """Every field type the codec supports."""

    text: str
    count: int
    ratio: float
    flag: bool
    price: Decimal
    at: datetime
    on: date
    ref: UUID
    tags: list[str]
    nested: list[list[int]] = field(default_factory=list)
    note: str | None = None
    when: datetime | None = None
    amount: Decimal = Decimal("1.50")
    retry: bool = False


def _validator(cls: type[Command]) -> Draft202012Validator:
    schema = cls.json_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


VALIDATOR = _validator(Everything)
_datetimes = st.datetimes(timezones=st.none() | st.timezones())
_decimals = st.decimals(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [Decimal("NaN"), Decimal("-Infinity"), Decimal("1E+3")]
)
commands = st.builds(
    Everything,
    text=st.text(),
    count=st.integers(),
    ratio=st.floats(allow_nan=False, allow_infinity=False),
    flag=st.booleans(),
    price=_decimals,
    at=_datetimes,
    on=st.dates(),
    ref=st.uuids(),
    tags=st.lists(st.text()),
    nested=st.lists(st.lists(st.integers())),
    note=st.none() | st.text(),
    when=st.none() | _datetimes,
    amount=_decimals,
    retry=st.booleans(),
)


@CHECKS
@given(commands)
def test_every_encoded_command_validates_against_its_schema(command: Everything) -> None:
    encoded = json.loads(command.to_json())
    errors = [error.message for error in VALIDATOR.iter_errors(encoded)]
    assert errors == []


def test_the_schema_names_types_required_fields_and_defaults() -> None:
    schema = Everything.json_schema()
    assert schema["title"] == "test/everything"
    assert schema["description"] == "Every field type the codec supports."
    assert schema["required"] == [
        "text", "count", "ratio", "flag", "price", "at", "on", "ref", "tags",
    ]  # fmt: skip
    props = schema["properties"]
    assert props["count"] == {"type": "integer"}
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}
    assert props["note"] == {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}
    assert props["amount"]["default"] == "1.50"
    assert props["nested"]["default"] == []
    assert props["retry"]["default"] is False
    assert schema["additionalProperties"] is False


def _valid() -> dict[str, Any]:
    command = Everything(
        text="a", count=1, ratio=0.5, flag=True, price=Decimal("2.50"),
        at=datetime(2024, 5, 1, 12, 30), on=date(2024, 5, 1),
        ref=UUID("12345678-1234-5678-1234-567812345678"), tags=["x"],
    )  # fmt: skip
    encoded: dict[str, Any] = json.loads(command.to_json())
    return encoded


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("count", "1"),
        ("count", 1.5),
        ("flag", 1),
        ("price", "ten"),
        ("at", "yesterday"),
        ("on", "2024-05-01T00:00:00"),
        ("ref", "not-a-uuid"),
        ("tags", "x"),
        ("text", None),
        ("extra", 1),
    ],
)
def test_the_schema_refuses_what_the_codec_refuses(change: str, value: object) -> None:
    data = _valid()
    data[change] = value
    assert list(VALIDATOR.iter_errors(data)) != []
    with pytest.raises((TypeError, ValueError)):
        Everything.from_json(json.dumps(data))


def test_a_missing_required_field_is_refused_by_both() -> None:
    data = _valid()
    del data["text"]
    assert list(VALIDATOR.iter_errors(data)) != []
    with pytest.raises(TypeError):
        Everything.from_json(json.dumps(data))
    assert Everything.from_json(json.dumps(_valid())).text == "a"

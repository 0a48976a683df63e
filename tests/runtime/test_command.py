from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from petrock_runtime import Command, CommandRegistry, ValidationError

from .cmds import Charge


@dataclass(frozen=True)
class Everything(Command, name="kit/everything"):
    name: str
    count: int
    ratio: float
    flag: bool
    price: Decimal
    at: datetime
    day: date
    uid: UUID
    tags: list[str]
    amounts: list[Decimal]
    maybe: int | None = None
    days: list[date] = field(default_factory=list)


SAMPLE = Everything(
    name="n",
    count=3,
    ratio=0.5,
    flag=True,
    price=Decimal("10.25"),
    at=datetime(2026, 1, 2, 3, 4, 5, 600, tzinfo=UTC),
    day=date(2026, 1, 2),
    uid=UUID("12345678-1234-5678-1234-567812345678"),
    tags=["a", "é"],
    amounts=[Decimal("0.1"), Decimal("-3")],
    maybe=None,
    days=[date(2020, 2, 29)],
)


def test_name_is_a_class_keyword_not_an_attribute() -> None:
    assert Everything.command_name() == "kit/everything"
    assert SAMPLE.name == "n"  # a field called `name` is fine
    assert SAMPLE.command_name() == "kit/everything"


def test_round_trip_of_every_field_type() -> None:
    data = SAMPLE.to_json()
    assert Everything.from_json(data) == SAMPLE
    assert Everything.from_json(data.decode()) == SAMPLE
    assert list(json.loads(data)) == [
        "name", "count", "ratio", "flag", "price", "at", "day", "uid", "tags", "amounts",
        "maybe", "days",
    ]  # fmt: skip
    assert json.loads(data)["price"] == "10.25"


def test_defaults_fill_missing_fields() -> None:
    raw = json.loads(SAMPLE.to_json())
    del raw["maybe"], raw["days"]
    decoded = Everything.from_json(json.dumps(raw))
    assert decoded.maybe is None and decoded.days == []


def test_plain_fast_path_round_trip_and_checks() -> None:
    charge = Charge("inv-1", 100)
    assert charge.to_json() == b'{"invoice_id":"inv-1","amount_cents":100}'
    assert Charge.from_json(charge.to_json()) == charge
    with pytest.raises(TypeError, match="amount_cents"):
        Charge.from_json(b'{"invoice_id":"x","amount_cents":"100"}')
    with pytest.raises(TypeError, match="missing field 'amount_cents'"):
        Charge.from_json(b'{"invoice_id":"x"}')
    with pytest.raises(TypeError, match="unexpected field 'extra'"):
        Charge.from_json(b'{"invoice_id":"x","amount_cents":1,"extra":2}')
    with pytest.raises(ValueError, match="not valid JSON"):
        Charge.from_json(b"{nope")
    with pytest.raises(TypeError, match="expected int, got str"):
        Charge("x", "5").to_json()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field_name", "value", "error"),
    [
        ("price", "ten", ValueError),
        ("at", 5, TypeError),
        ("day", "2026-13-01", ValueError),
        ("uid", "not-a-uuid", ValueError),
        ("tags", "a", TypeError),
        ("count", True, TypeError),
        ("flag", 1, TypeError),
    ],
)
def test_bad_values_name_the_field(field_name: str, value: object, error: type[Exception]) -> None:
    raw = json.loads(SAMPLE.to_json())
    raw[field_name] = value
    with pytest.raises(error, match=field_name):
        Everything.from_json(json.dumps(raw))


def test_float_field_accepts_json_integers() -> None:
    raw = json.loads(SAMPLE.to_json())
    raw["ratio"] = 2
    decoded = Everything.from_json(json.dumps(raw))
    assert decoded.ratio == 2.0 and isinstance(decoded.ratio, float)


def test_validate_raises_validation_error() -> None:
    with pytest.raises(ValidationError) as raised:
        Charge("x", 0).validate()
    assert raised.value.field == "amount_cents"
    assert str(raised.value) == "amount_cents: must be positive"


def test_unsupported_field_types_fail_at_registration() -> None:
    @dataclass(frozen=True)
    class Bad(Command, name="kit/bad"):
        mapping: dict[str, int]

    with pytest.raises(TypeError, match=r"Bad\.mapping: unsupported field type"):
        CommandRegistry().register(Bad)


def test_invalid_names_and_missing_names() -> None:
    with pytest.raises(TypeError, match="invalid command name"):

        class Spaced(Command, name="has space"):
            pass

    @dataclass(frozen=True)
    class Base(Command):
        x: int

    with pytest.raises(TypeError, match="has no command name"):
        Base.command_name()


def test_slots_dataclass_keeps_its_name() -> None:
    @dataclass(frozen=True, slots=True)
    class Slotted(Command, name="kit/slotted"):
        x: int
        when: date

    cmd = Slotted(1, date(2026, 1, 1))
    assert Slotted.command_name() == "kit/slotted"
    assert Slotted.from_json(cmd.to_json()) == cmd


def test_registry() -> None:
    registry = CommandRegistry()
    registry.register(Charge, Everything)
    registry.register(Charge)  # same class again: no-op
    assert registry.names() == ["billing/charge", "kit/everything"]
    assert registry.get("billing/charge") is Charge
    assert registry.get("nope") is None
    assert registry.decode("billing/charge", Charge("a", 1).to_json()) == Charge("a", 1)
    with pytest.raises(KeyError):
        registry.decode("nope", b"{}")
    with pytest.raises(ValueError):
        registry.decode("billing/charge", b'{"invoice_id":1,"amount_cents":1}')

    @dataclass(frozen=True)
    class Impostor(Command, name="billing/charge"):
        x: int

    with pytest.raises(ValueError, match="taken by"):
        registry.register(Impostor)


@dataclass(frozen=True)
class Plain(Command, name="kit/plain"):
    raw: str  # names that the generated decoder uses internally must not matter
    cls: int
    ratio: float
    flag: bool = False


def test_generated_plain_decoder_converts_and_rejects_like_the_careful_one() -> None:
    sample = Plain("r", 2, 0.5, True)
    assert Plain.from_json(sample.to_json()) == sample
    assert Plain.from_json(b'{"raw":"r","cls":2,"ratio":3,"flag":true}').ratio == 3.0
    assert Plain.from_json(b'{"raw":"r","cls":2,"ratio":0.5}') == Plain("r", 2, 0.5)
    for bad, field_name in [
        (b'{"raw":"r","cls":2.0,"ratio":0.5,"flag":true}', "cls"),
        (b'{"raw":1,"cls":2,"ratio":0.5,"flag":true}', "raw"),
        (b'{"raw":"r","cls":2,"ratio":"0.5","flag":true}', "ratio"),
        (b'{"raw":"r","cls":2,"ratio":0.5,"flag":1}', "flag"),
        (b'{"raw":"r","cls":true,"ratio":0.5,"flag":true}', "cls"),
        (b'{"raw":"r","cls":2,"ratio":0.5,"other":true}', "other"),
        (b'["r",2,0.5,true]', "JSON object"),
    ]:
        with pytest.raises(TypeError, match=field_name):
            Plain.from_json(bad)

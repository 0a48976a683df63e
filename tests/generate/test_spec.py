from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from petrock_gen.errors import UserError
from petrock_gen.generate import BASE_TYPES, parse_command_spec, parse_field

from .conftest import HYPOTHESIS


@pytest.mark.parametrize(
    ("spec", "lines"),
    [
        ("charge", []),
        ("charge:invoice_id=str,amount_cents=int", ["invoice_id: str", "amount_cents: int"]),
        ("charge:invoice_id:str", ["invoice_id: str"]),
        ("cc:note=str?", ["note: str | None = None"]),
        ("cc:tags=list[str]=[]", ["tags: list[str] = field(default_factory=list)"]),
        ("cc:ids=list[uuid]?", ["ids: list[UUID] | None = None"]),
        ("cc:price=decimal=1.50", ['price: Decimal = Decimal("1.50")']),
        ("cc:qty=int=-3", ["qty: int = -3"]),
        ("cc:ratio=float=2", ["ratio: float = 2.0"]),
        ("cc:retry=bool=false", ["retry: bool = False"]),
        ("cc:reason=str=duplicate charge", ['reason: str = "duplicate charge"']),
        ("cc:at=datetime?=None", ["at: datetime | None = None"]),
        ("cc:on=date", ["on: date"]),
        ("add-item:sku=str", ["sku: str"]),
    ],
)
def test_specs_parse_into_typed_fields(spec: str, lines: list[str]) -> None:
    from petrock_gen.generate._views import _field_line

    command = parse_command_spec(spec)
    assert [_field_line(f) for f in command.fields] == lines


@pytest.mark.parametrize(
    ("spec", "wording"),
    [
        ("charge:amount_cents=integer", "unknown type 'integer' in field 'amount_cents=integer'"),
        ("charge:amount_cents", "malformed field 'amount_cents' in SPEC"),
        ("charge:=int", "malformed field '=int'"),
        ("charge:", "no fields after ':'"),
        ("charge:a=int,,b=str", "malformed field ''"),
        ("charge:a=int,a=str", "field 'a' appears twice"),
        ("charge:Amount=int", "invalid field name 'Amount'"),
        ("charge:class=int", "it is a Python keyword"),
        ("char ge:a=int", "invalid command name 'char ge'"),
        ("1charge", "invalid command name '1charge'"),
        ("charge:a=int=x", "bad default 'x' of field 'a=int=x'"),
        ("charge:a=str=None", "None is only allowed for optional fields"),
        ("charge:a=list[int]=[1]", "can only default to []"),
        ("charge:a=date=2024-01-01", "date fields cannot have a default"),
        ('charge:a=str=say "hi"', "cannot contain quotes"),
        ("charge:a=list[list[int]]", "unknown type 'list[list[int]]'"),
        ("charge:a=bool=maybe", "use true or false"),
        ("charge:a=float=nan", "not a finite number"),
    ],
)
def test_malformed_specs_point_at_the_bad_part(spec: str, wording: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_command_spec(spec)
    assert wording in raised.value.message
    assert raised.value.hint


def test_field_arguments_use_the_same_grammar() -> None:
    assert parse_field("reason:str?").type.annotation == "str | None"
    with pytest.raises(UserError, match="unknown type 'strng' in field 'reason:strng'"):
        parse_field("reason:strng")


_names = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True).filter(
    lambda n: (
        n not in {"l", "and", "as", "if", "in", "is", "or", "for", "def", "del", "not", "try"}
        and not n.startswith(("from", "to_json", "validate"))
    )
)
_types = st.tuples(st.sampled_from(BASE_TYPES), st.booleans(), st.booleans()).map(
    lambda t: (f"list[{t[0]}]" if t[1] else t[0]) + ("?" if t[2] else "")
)


@HYPOTHESIS
@given(st.lists(st.tuples(_names, _types), max_size=6, unique_by=lambda f: f[0]))
def test_specs_round_trip_through_their_spelling(fields: list[tuple[str, str]]) -> None:
    from keyword import iskeyword, issoftkeyword

    fields = [(n, t) for n, t in fields if not iskeyword(n) and not issoftkeyword(n)]
    text = "charge" + (":" + ",".join(f"{n}={t}" for n, t in fields) if fields else "")
    command = parse_command_spec(text)
    assert command.spec == text
    assert parse_command_spec(command.spec) == command

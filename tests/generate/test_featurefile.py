from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from petrock_gen.errors import UserError
from petrock_gen.generate import (
    CommandName,
    FeatureName,
    FeatureSpec,
    WorkerName,
    WorkerSpec,
    dump_feature_spec,
    load_feature_spec,
    parse_command_spec,
    parse_feature_spec,
)

from .conftest import HYPOTHESIS

SPEC = FeatureSpec(
    name=FeatureName("billing"),
    description="Charges invoices",
    commands=(
        parse_command_spec("charge:invoice_id=str,amount_cents=int=0,tags=list[str]?"),
        parse_command_spec("refund"),
    ),
    workers=(
        WorkerSpec(WorkerName("billing"), (CommandName("charge"), CommandName("refund"))),
        WorkerSpec(WorkerName("auditor"), (CommandName("refund"),), "Audits", False, 2.5),
    ),
)

EXPECTED = """\
# The spec of feature `billing`: petrock renders the feature's files from it.
# Change it with `petrock new command|worker`, or edit it and run `petrock regenerate`.
template_version = 1
name = "billing"
description = "Charges invoices"

[[commands]]
name = "charge"
description = ""
fields = [
    { name = "invoice_id", type = "str" },
    { name = "amount_cents", type = "int", default = "0" },
    { name = "tags", type = "list[str]?" },
]

[[commands]]
name = "refund"
description = ""
fields = []

[[workers]]
name = "billing"
description = ""
handles = ["charge", "refund"]
periodic = true
every = 5.0

[[workers]]
name = "auditor"
description = "Audits"
handles = ["refund"]
periodic = false
every = 2.5
"""


def test_dump_is_readable_and_exact() -> None:
    assert dump_feature_spec(SPEC) == EXPECTED


def test_load_reads_back_what_dump_wrote(tmp_path: Path) -> None:
    path = tmp_path / "feature.toml"
    path.write_text(dump_feature_spec(SPEC), encoding="utf-8")
    assert load_feature_spec(path) == SPEC


@HYPOTHESIS
@given(
    st.text(
        alphabet=st.characters(exclude_characters='"\\', exclude_categories=("Cc", "Cs")),
        max_size=40,
    ).filter(str.isprintable)
)
def test_descriptions_round_trip(description: str) -> None:
    from dataclasses import replace

    spec = replace(SPEC, description=description)
    assert parse_feature_spec(dump_feature_spec(spec)) == spec


@pytest.mark.parametrize(
    ("old", "new", "wording"),
    [
        ('type = "list[str]?"', 'type = "lst[str]"', ":13: unknown type 'lst[str]'"),
        ('name = "refund"', 'name = "for"', ":17: invalid command name 'for'"),
        ('handles = ["refund"]', 'handles = ["refnd"]', ":31: worker 'auditor' handles 'refnd'"),
        ("every = 2.5", "every = -1", ":33: 'every' must be a positive number"),
        ("periodic = false", 'periodic = "no"', ":32: 'periodic' must be a bool"),
        ('name = "auditor"', 'name = "billing"', ":29: worker 'billing' is defined twice"),
        ("fields = []", "fields = [", ":21: not valid TOML"),
        ("template_version = 1", "colour = 1", ":3: unknown key 'colour'"),
        ('description = "Audits"', 'description = "say \\"hi\\""', ":30: invalid description"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, old: str, new: str, wording: str) -> None:
    path = tmp_path / "feature.toml"
    assert old in EXPECTED
    path.write_text(EXPECTED.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(UserError) as raised:
        load_feature_spec(path)
    assert raised.value.message.startswith(str(path))
    assert wording in raised.value.message


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="cannot read"):
        load_feature_spec(tmp_path / "feature.toml")

from __future__ import annotations

import pytest

from petrock_gen.errors import UserError
from petrock_gen.generate import CommandName, FeatureName, FieldName, PackageName, WorkerName


@pytest.mark.parametrize(
    ("text", "snake", "pascal", "kebab", "title"),
    [
        ("billing", "billing", "Billing", "billing", "Billing"),
        ("order_lines", "order_lines", "OrderLines", "order-lines", "Order lines"),
        ("order-lines", "order_lines", "OrderLines", "order-lines", "Order lines"),
        ("OrderLines", "order_lines", "OrderLines", "order-lines", "Order lines"),
        ("add_item2", "add_item2", "AddItem2", "add-item2", "Add item2"),
    ],
)
def test_names_offer_every_case(text: str, snake: str, pascal: str, kebab: str, title: str) -> None:
    name = FeatureName.parse(text)
    assert (name.snake, name.pascal, name.kebab, name.title) == (snake, pascal, kebab, title)


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("", "name is empty"),
        ("class", "is a Python keyword"),
        ("match", "is a Python keyword"),
        ("json", "would shadow a standard library, builtin or petrock name"),
        ("list", "would shadow"),
        ("runtime", "would shadow"),
        ("petrock_gen", "would shadow"),
        ("features", "would shadow"),
        ("billing/charge", "cannot contain path separators or '..'"),
        ("..", "cannot contain path separators or '..'"),
        ("a\\b", "cannot contain path separators"),
        (".hidden", "cannot contain path separators"),
        ("1billing", "starting with a letter"),
        ("bill ing", "starting with a letter"),
        ("bill$", "starting with a letter"),
        ("_private", "starting with a letter"),
        ("x" * 41, "longer than 40 characters"),
        ("l", "at least two characters"),
    ],
)
def test_bad_feature_names_are_refused_with_a_reason(text: str, wording: str) -> None:
    with pytest.raises(UserError) as raised:
        FeatureName.parse(text)
    assert wording in raised.value.message
    assert raised.value.hint


@pytest.mark.parametrize("cls", [CommandName, WorkerName, PackageName])
def test_every_kind_names_itself_in_errors(cls: type[FeatureName]) -> None:
    with pytest.raises(UserError, match=f"invalid {cls.kind} name 'for'"):
        cls.parse("for")


@pytest.mark.parametrize("text", ["id", "type", "name", "amount_cents", "x1"])
def test_field_names_may_shadow_builtins(text: str) -> None:
    assert FieldName.parse(text).snake == text


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("validate", "would hide the Command method"),
        ("to_json", "would hide the Command method"),
        ("from", "keyword"),
        ("l", "reads like 1"),
        ("Amount", "use lowercase letters"),
        ("amount-cents", "use lowercase letters"),
    ],
)
def test_bad_field_names(text: str, wording: str) -> None:
    with pytest.raises(UserError) as raised:
        FieldName.parse(text)
    assert wording in raised.value.message


def test_names_compare_by_kind_and_value() -> None:
    assert FeatureName.parse("order-lines") == FeatureName.parse("order_lines")
    assert PackageName.parse("my_shop").distribution == "my-shop"

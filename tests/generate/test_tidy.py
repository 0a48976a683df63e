from __future__ import annotations

import pytest

from petrock_gen.generate._tidy import sort_extended_imports

BEFORE = "from a.state import BillingState, NotifierState\nfrom b import x\n"


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        pytest.param(
            "from a.state import BillingState, NotifierState, AuditorState\nfrom b import x\n",
            "from a.state import AuditorState, BillingState, NotifierState\nfrom b import x\n",
            id="appended-name-sorted-in",
        ),
        pytest.param(
            "from a.state import BillingState, NotifierState, Zed\nfrom b import x\n",
            "from a.state import BillingState, NotifierState, Zed\nfrom b import x\n",
            id="already-in-order",
        ),
        pytest.param(
            "from a.state import BillingState, NotifierState, AuditorState  # mine\nfrom b import x\n",
            "from a.state import BillingState, NotifierState, AuditorState  # mine\nfrom b import x\n",
            id="comment-left-alone",
        ),
        pytest.param(
            "from a.state import BillingState, NotifierState\nfrom b import x, a\n",
            "from a.state import BillingState, NotifierState\nfrom b import a, x\n",
            id="only-extended-statements",
        ),
    ],
)
def test_extended_imports_are_put_back_in_ruff_order(after: str, expected: str) -> None:
    assert sort_extended_imports(BEFORE, after) == expected


def test_users_own_order_is_kept() -> None:
    before = "from a import zeta, alpha\n"
    after = "from a import zeta, alpha, beta\n"
    assert sort_extended_imports(before, after) == after


def test_long_lines_wrap_like_ruff() -> None:
    before = "from shop.features.billing.state import BillingState, NotifierState\n"
    after = before.replace(
        "NotifierState", "NotifierState, AVeryLongStateNameThatPushesTheLineOver"
    )
    expected = (
        "from shop.features.billing.state import (\n"
        "    AVeryLongStateNameThatPushesTheLineOver,\n"
        "    BillingState,\n"
        "    NotifierState,\n"
        ")\n"
    )
    assert sort_extended_imports(before, after) == expected

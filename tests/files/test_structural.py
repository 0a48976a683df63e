"""Structural extension of user files: add what the render brings, never remove, report orphans."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from petrock_gen.files._structural import NotParseableError, extend_user_file

# Hypothesis settings of this module (no global profile): derandomized when `CI` is set.
CHECKS = settings(
    derandomize=bool(os.environ.get("CI")), deadline=None, max_examples=100, print_blob=True
)

BASELINE = '''"""Handlers of billing."""

from __future__ import annotations

from shop.features.billing.commands import Charge
from shop.runtime import Message


def handle_charge(ctx: object, cmd: Charge, msg: Message) -> None:
    """Charge."""
'''

RENDER_WITH_REFUND = (
    BASELINE.replace("import Charge", "import Charge, Refund")
    + '''

def handle_refund(ctx: object, cmd: Refund, msg: Message) -> None:
    """Refund."""
'''
)

USER = (
    BASELINE.replace('    """Charge."""\n', "    ctx.total += cmd.amount  # mine\n")
    + """

def _helper() -> int:
    return 42


if __name__ == "__main__":
    _helper()
"""
)


def test_new_handler_and_import_are_added_in_place() -> None:
    ext = extend_user_file(USER, RENDER_WITH_REFUND, BASELINE)
    assert ext.added == ("handle_refund",)
    assert ext.imported == ("Refund",)
    assert ext.orphaned == ()
    assert ext.text is not None
    assert "from shop.features.billing.commands import Charge, Refund\n" in ext.text
    # Appended after the last top-level def, before the trailing script block.
    assert ext.text.index("def handle_refund") > ext.text.index("def _helper")
    assert ext.text.index("def handle_refund") < ext.text.index('if __name__ == "__main__"')
    assert "ctx.total += cmd.amount  # mine\n" in ext.text
    ast.parse(ext.text)


def test_every_user_line_survives() -> None:
    ext = extend_user_file(USER, RENDER_WITH_REFUND, BASELINE)
    assert ext.text is not None
    kept = ext.text.splitlines()
    for line in USER.splitlines():
        if "import Charge" in line:
            continue  # extended in place
        assert line in kept


def test_nothing_to_add_returns_none() -> None:
    ext = extend_user_file(USER, BASELINE, BASELINE)
    assert ext.text is None
    assert ext.added == ()


def test_names_the_user_removed_are_not_added_back() -> None:
    # handle_charge was in the baseline already: the user deleted it on purpose.
    user = BASELINE.split("\n\ndef handle_charge")[0] + "\n"
    ext = extend_user_file(user, BASELINE, BASELINE)
    assert ext.text is None


def test_without_baseline_everything_missing_is_added() -> None:
    user = '"""Mine."""\n'
    ext = extend_user_file(user, RENDER_WITH_REFUND, None)
    assert ext.text is not None
    assert "handle_charge" in ext.added and "handle_refund" in ext.added
    assert ext.text.startswith(
        '"""Mine."""\n\nfrom __future__ import annotations\n\n'
        "from shop.features.billing.commands import Charge, Refund\n"
        "from shop.runtime import Message\n"
    )
    ast.parse(ext.text)


def test_removed_handler_is_orphaned_not_deleted() -> None:
    render = BASELINE.replace("handle_charge", "handle_pay")
    ext = extend_user_file(USER, render, BASELINE)
    assert ext.orphaned == ("handle_charge",)
    assert ext.text is not None and "def handle_charge" in ext.text
    assert "handle_pay" in ext.added


def test_a_name_the_user_binds_otherwise_is_not_added() -> None:
    user = USER + "\nhandle_refund = _helper\n"
    user = user.replace("import Charge", "import Charge, Refund")
    ext = extend_user_file(user, RENDER_WITH_REFUND, BASELINE)
    assert ext.text is None


def test_parenthesised_import_keeps_its_layout() -> None:
    user = USER.replace(
        "from shop.features.billing.commands import Charge",
        "from shop.features.billing.commands import (\n    Charge,\n    Other,\n)",
    )
    ext = extend_user_file(user, RENDER_WITH_REFUND, BASELINE)
    assert ext.text is not None
    assert "import (\n    Charge,\n    Other,\n    Refund,\n)\n" in ext.text


def test_new_module_import_goes_after_the_last_import() -> None:
    render = BASELINE.replace(
        "from shop.runtime import Message\n",
        "from shop.runtime import Message\nfrom shop.features.billing.state import State\n",
    )
    ext = extend_user_file(USER, render, BASELINE)
    assert ext.text is not None
    assert (
        "from shop.runtime import Message\nfrom shop.features.billing.state import State\n"
        in ext.text
    )


TEST_RENDER = '''"""Tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from petrock_runtime import App, Message

from shop.features import billing
from shop.features.billing.commands import Adjust, Charge, Zap
'''
TEST_BASELINE = '''"""Tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from petrock_runtime import App, Message

from shop.features import billing
from shop.features.billing.commands import Charge
'''


def test_imports_go_where_isort_puts_them() -> None:
    user = TEST_BASELINE.replace(
        "from typing import Any\n", "from typing import Any\n\nimport json\n"
    )
    ext = extend_user_file(user, TEST_RENDER, TEST_BASELINE)
    assert (
        ext.text
        == '''"""Tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import json

import pytest
from petrock_runtime import App, Message

from shop.features import billing
from shop.features.billing.commands import Adjust, Charge, Zap
'''
    )


def test_names_of_an_unsorted_import_are_appended() -> None:
    user = TEST_BASELINE.replace("import Charge", "import Charge, Beta  # mine")
    ext = extend_user_file(user, TEST_RENDER, TEST_BASELINE)
    assert ext.text is not None
    assert (
        "from shop.features.billing.commands import Charge, Beta, Adjust, Zap  # mine\n" in ext.text
    )


def test_a_long_import_is_wrapped_like_ruff_format() -> None:
    names = ", ".join(f"Command{i:02d}" for i in range(12))
    render = TEST_BASELINE.replace("import Charge", f"import Charge, {names}")
    ext = extend_user_file(TEST_BASELINE, render, TEST_BASELINE)
    assert ext.text is not None
    assert "from shop.features.billing.commands import (\n    Charge,\n    Command00,\n" in ext.text


def test_user_file_that_does_not_parse_is_refused() -> None:
    with pytest.raises(NotParseableError) as raised:
        extend_user_file("def broken(:\n    pass\n", RENDER_WITH_REFUND, BASELINE)
    assert raised.value.line == 1


def test_extension_is_idempotent() -> None:
    ext = extend_user_file(USER, RENDER_WITH_REFUND, BASELINE)
    assert ext.text is not None
    again = extend_user_file(ext.text, RENDER_WITH_REFUND, RENDER_WITH_REFUND)
    assert again.text is None
    fresh = extend_user_file(ext.text, RENDER_WITH_REFUND, None)
    assert fresh.text is None


# --- properties -------------------------------------------------------------------------------

NAMES = [f"handle_{i}" for i in range(8)]


def function(name: str, body: str = "pass") -> str:
    return f"\n\ndef {name}() -> None:\n    {body}\n"


def module(imports: list[str], functions: list[str]) -> str:
    head = '"""Handlers."""\n\nfrom __future__ import annotations\n'
    if imports:
        head += f"\nfrom shop.commands import {', '.join(imports)}\n"
    return head + "".join(functions)


@CHECKS
@given(
    st.sets(st.sampled_from(NAMES), max_size=6),
    st.sets(st.sampled_from(NAMES), max_size=6),
    st.data(),
)
def test_extension_properties(old: set[str], new: set[str], data: st.DataObject) -> None:
    old_names, new_names = sorted(old), sorted(new)
    baseline = module([n.upper() for n in old_names], [function(n) for n in old_names])
    render = module([n.upper() for n in new_names], [function(n) for n in new_names])
    kept = sorted(data.draw(st.sets(st.sampled_from(old_names))) if old_names else set())
    mine = [
        function(f"user_{i}", f"return None  # user line {i}")
        for i in range(data.draw(st.integers(0, 3)))
    ]
    user_functions = [function(n, f"print({n!r})  # edited") for n in kept] + mine
    user = module([n.upper() for n in kept], user_functions)

    ext = extend_user_file(user, render, baseline)
    result = ext.text if ext.text is not None else user
    ast.parse(result)
    for chunk in user_functions:
        assert chunk in result  # every user line, in place
    expected_new = [n for n in new_names if n not in old and n not in kept]
    assert list(ext.added) == expected_new
    for name in new_names:
        count = result.count(f"def {name}(")
        assert count == (1 if name in expected_new or name in kept else 0)
    for name in old_names:
        if name not in kept:
            assert f"def {name}(" not in result  # deleted by the user: stays deleted
    assert set(ext.orphaned) == {n for n in kept if n not in new}
    again = extend_user_file(result, render, render)
    assert again.text is None


def test_name_order_matches_ruff_isort(tmp_path: Path) -> None:
    import subprocess
    import sys

    from petrock_gen._isort import member_sort_key

    names = ["A10State", "A2State", "A01State", "A1State", "CONST", "helper", "Beta", "alpha", "_x"]
    source = tmp_path / "t.py"
    source.write_text(f"from x import {', '.join(names)}\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--select",
            "I",
            "--fix",
            str(source),
        ],
        capture_output=True,
        check=False,
    )
    assert source.read_text() == f"from x import {', '.join(sorted(names, key=member_sort_key))}\n"

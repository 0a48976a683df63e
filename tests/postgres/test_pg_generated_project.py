"""A generated project runs on PostgreSQL through its settings alone: no code changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from petrock_runtime._postgres import PostgresMessageLog

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"

# Appends two commands through the generated app, as a user's own script would.
APPEND = """
from decimal import Decimal
from shop.app import build_app
from shop.features.catalog.commands import AddItem

app = build_app()
app.execute(AddItem(sku="a-1", title="Mug", price=Decimal("4.50")))
app.execute(AddItem(sku="a-2", title="Cup", price=Decimal("3.00"), tags=["new"]))
app.close()
"""


def _shop(args: list[str], url: str) -> str:
    env = {**os.environ, "SHOP_DATABASE_URL": url, "PYTHONPATH": str(SHOP / "src")}
    result = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_generated_project_uses_postgres_from_its_environment_variable(pg_url: str) -> None:
    _shop(["-c", APPEND], pg_url)
    out = _shop(["-m", "shop", "--until-idle"], pg_url)
    processed = {line.split()[0]: int(line.split()[1]) for line in out.splitlines()[1:]}
    assert processed == {
        "billing": 0,
        "billing/notifier": 0,
        "billing/auditor": 0,
        "catalog": 2,
        "shipping": 0,
    }
    log = PostgresMessageLog(pg_url)
    try:
        assert [m.type for m in log.read_after(0)] == ["catalog/add-item"] * 2
        assert log.load_position("catalog") == log.last_id()
    finally:
        log.close()

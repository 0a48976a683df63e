"""`examples/legacy`: migrating `before/` gives `after/` byte for byte, and the migrated workers
run on the runtime."""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from petrock_runtime.testing import make_test_app

from petrock_gen.cli import main

from ._where import REPO

EXAMPLE = REPO / "examples" / "legacy"


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_before_migrates_to_after(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "shop"
    shutil.copytree(EXAMPLE / "before", work, ignore=shutil.ignore_patterns("__pycache__"))
    with pytest.raises(SystemExit) as done:
        main(["migrate-worker", str(work)])
    assert done.value.code == 0
    assert tree(work) == tree(EXAMPLE / "after")
    assert "4 skipped before parsing" in capsys.readouterr().err


@pytest.fixture
def shop() -> Iterator[ModuleType]:
    sys.path.insert(0, str(EXAMPLE / "after"))
    try:
        yield importlib.import_module("shop.workers")
    finally:
        sys.path.remove(str(EXAMPLE / "after"))
        for name in [n for n in sys.modules if n == "shop" or n.startswith("shop.")]:
            del sys.modules[name]


class Mailer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, order_id: str, event: str) -> None:
        self.sent.append((order_id, event))


def test_migrated_workers_run_on_the_runtime(shop: ModuleType) -> None:
    commands = importlib.import_module("shop.commands")
    app = make_test_app()
    app.register_commands(
        commands.PlaceOrder,
        commands.CancelOrder,
        commands.ShipOrder,
        commands.Restock,
        commands.RequestRestock,
    )
    mailer = Mailer()
    orders = shop.OrderBookWorker(None, app, mailer)
    stock = shop.StockWorker(None, app)
    app.register_worker(shop.build_order_book_worker(orders))
    app.register_worker(shop.build_stock_worker(stock))
    app.execute(commands.Restock(sku="tea", quantity=3))
    app.execute(commands.PlaceOrder(order_id="o1", sku="tea", quantity=2))
    app.execute(commands.PlaceOrder(order_id="o2", sku="tea", quantity=1))
    app.execute(commands.ShipOrder(order_id="o1"))
    app.execute(commands.ShipOrder(order_id="o1"))  # a duplicate: skipped by the `return`
    app.execute(commands.CancelOrder(order_id="o2"))
    app.run_until_idle()
    assert app.dead_letters() == []
    assert orders.open_orders == {}
    assert mailer.sent == [("o1", "shipped")]
    assert stock.stock == {"tea": 0}
    assert stock.requested == {"tea"}
    requested = [m for m in app.log.read_after(0, 100) if m.type == "stock/request-restock"]
    assert len(requested) == 1

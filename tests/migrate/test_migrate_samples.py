"""The five shared legacy samples reach the outcomes their README states."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from petrock_gen.migrate import ClassResult, migrate_source

from ._where import SHARED_SAMPLES

pytestmark = pytest.mark.skipif(
    not SHARED_SAMPLES.is_dir(), reason=f"{SHARED_SAMPLES} is absent (only on the team machine)"
)


def migrate(name: str, tmp_path: Path) -> tuple[str, str, dict[str, ClassResult]]:
    target = tmp_path / name
    shutil.copy(SHARED_SAMPLES / name, target)
    source = target.read_text(encoding="utf-8")
    new, classes = migrate_source(source, str(target))
    target.write_text(new, encoding="utf-8")
    again, _ = migrate_source(new, str(target))
    assert again == new, "a second run changed the output"
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "F821,F841", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout
    return source, new, {c.name: c for c in classes}


def registrations(code: str, factory: str = "build_worker") -> list[str]:
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef) and node.name == factory:
            return [
                call.args[0].value
                for call in ast.walk(node)
                if isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "on_command"
                and isinstance(call.args[0], ast.Constant)
            ]
    raise AssertionError(f"no {factory}()")


def periodic(code: str) -> str:
    (call,) = [
        n
        for n in ast.walk(ast.parse(code))
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "set_periodic_work"
    ]
    first = call.args[0]
    assert isinstance(first, ast.Name)
    body = next(
        f for f in ast.parse(code).body if isinstance(f, ast.FunctionDef) and f.name == first.id
    )
    return ast.unparse(body.body)


def test_thumbnails_migrated(tmp_path: Path) -> None:
    _, new, classes = migrate("thumbnails.py", tmp_path)
    assert classes["ThumbnailWorker"].outcome == "migrated"
    assert registrations(new) == ["media/uploaded", "media/replaced", "media/deleted"]
    assert periodic(new) == "ctx.state.flush_queue()"
    assert "self." not in new.split("class ThumbnailWorker")[1].split("def handle_")[1]
    assert "# Only images get thumbnails; video posters are made elsewhere." in new
    assert "# A new original invalidates every size rendered from the old one." in new
    assert "decoded_payload" not in new and "last_processed_id = msg.id" not in new


def test_inventory_migrated_with_a_note_for_the_default(tmp_path: Path) -> None:
    _, new, classes = migrate("inventory.py", tmp_path)
    result = classes["RestockWorker"]
    assert result.outcome == "migrated"
    assert registrations(new) == [
        "stock/received",
        "stock/returned",
        "stock/reserved",
        "stock/released",
        "stock/discontinued",
    ]
    assert 'worker.on_command("stock/received", handle_stock_received)' in new
    assert 'worker.on_command("stock/returned", handle_stock_received)' in new
    assert [f.line for f in result.findings if "default branch" in f.message] == [70]
    assert periodic(new) == "ctx.state.place_reorders()"
    assert "                continue\n" in new  # _skus_to_reorder keeps its own `continue`


def test_search_index_migrated_by_literal_names(tmp_path: Path) -> None:
    source, new, classes = migrate("search_index.py", tmp_path)
    assert classes["SearchIndexWorker"].outcome == "migrated"
    assert registrations(new) == ["docs/published", "docs/retitled", "docs/unpublished"]
    assert "search/batch-committed" not in registrations(new)
    commands = source[source.index("@dataclass") : source.index("class SearchIndexWorker")]
    assert commands in new  # the command classes and tokenize, as they were
    assert periodic(new) == "ctx.state.commit_batch()"
    assert "cmd: DocumentPublished" in new


def test_loyalty_partial_with_retry_for_the_break(tmp_path: Path) -> None:
    _, new, classes = migrate("loyalty.py", tmp_path)
    result = classes["LoyaltyWorker"]
    assert result.outcome == "partial"
    assert [f.line for f in result.findings if f.kind == "todo"] == [90]
    assert registrations(new) == [
        "orders/completed",
        "orders/refunded",
        "loyalty/transfer-to-partner",
    ]
    lines = new.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("raise Retry("))
    assert "TODO(petrock)" in "\n".join(lines[index - 3 : index])
    assert "break" not in [line.strip() for line in lines]
    completed = new.split("def handle_orders_completed")[1].split("\ndef ")[0]
    assert "        return\n" in completed  # the guest checkout skip
    assert "            continue\n" in completed  # the inner loop keeps its continue
    assert periodic(new) == "ctx.state.expire_points()"


def test_shipments_one_migrated_one_refused_byte_for_byte(tmp_path: Path) -> None:
    source, new, classes = migrate("shipments.py", tmp_path)
    assert classes["ShipmentTrackingWorker"].outcome == "migrated"
    refused = classes["CarrierScanWorker"]
    assert refused.outcome == "refused"
    assert [(f.line, f.kind) for f in refused.findings] == [(119, "refused")]
    assert "generator" in refused.findings[0].message
    assert source[source.index("class CarrierScanWorker") :] in new
    assert registrations(new) == [
        "shipments/label-created",
        "shipments/picked-up",
        "shipments/delivered",
    ]
    assert "from core import Command" in new

"""`petrock inspect --schema`: the JSON Schema of every command of a project, from its classes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from .test_cli_new import run

_ENCODE = """
import datetime, decimal, uuid
from shop.features.catalog.commands import AddItem, Discontinue
print(AddItem(sku="s-1", title="Mug", price=decimal.Decimal("9.90")).to_json().decode())
print(Discontinue(sku="s-1", at=datetime.datetime(2024, 5, 1, 12, 0)).to_json().decode())
"""


def test_schemas_describe_the_generated_commands_and_validate_their_json(
    capsys: pytest.CaptureFixture[str], project_root: Path
) -> None:
    specs = [
        "add-item:sku=str,title=str,price=Decimal,tags=list[str]=[]",
        "discontinue:sku=str,at=datetime?",
    ]
    args = ["new", "feature", "catalog", "--allow-dirty", *(f"--command={s}" for s in specs)]
    assert run(capsys, *args, cwd=project_root)[0] == 0
    code, out, _ = run(capsys, "inspect", "--schema", "--path", str(project_root))
    assert code == 0
    schemas = json.loads(out)
    assert sorted(schemas) == ["catalog/add-item", "catalog/discontinue"]
    add_item = schemas["catalog/add-item"]
    assert add_item["required"] == ["sku", "title", "price"]
    assert add_item["properties"]["tags"] == {
        "type": "array",
        "items": {"type": "string"},
        "default": [],
    }
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(project_root / "src"), os.environ.get("PYTHONPATH", "")]
        ),
    }
    encoded = subprocess.run(
        [sys.executable, "-c", _ENCODE],
        cwd=project_root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name, line in zip(["catalog/add-item", "catalog/discontinue"], encoded, strict=True):
        validator = Draft202012Validator(schemas[name])
        assert [e.message for e in validator.iter_errors(json.loads(line))] == []
    bad = json.loads(encoded[0]) | {"price": 9.9}
    assert list(Draft202012Validator(add_item).iter_errors(bad)) != []


def test_a_broken_commands_module_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], project_root: Path
) -> None:
    assert (
        run(
            capsys,
            "new",
            "feature",
            "billing",
            "--allow-dirty",
            "--command=charge",
            cwd=project_root,
        )[0]
        == 0
    )
    commands = project_root / "src/shop/features/billing/commands.py"
    commands.write_text(commands.read_text() + "\nraise RuntimeError('broken on purpose')\n")
    code, out, err = run(capsys, "inspect", "--schema", "--path", str(project_root))
    assert code == 1
    assert out == ""
    assert "cannot import the project's commands" in err
    assert "broken on purpose" in err
    assert "Traceback" not in err

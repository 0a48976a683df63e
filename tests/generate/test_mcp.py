"""`petrock mcp`, driven by the MCP SDK's own client over stdio against the real `petrock` process.

The read-only tools write nothing; the writing tools refuse a dirty tree, write what the plan
said, and return the same status word per file as the plan (and as the CLI prints).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

from .conftest import git, snapshot

mcp = pytest.importorskip("mcp", reason="the mcp extra is not installed")

REPO = Path(__file__).resolve().parents[2]
LEGACY = REPO / "examples" / "legacy" / "before" / "shop" / "workers.py"
Call = Callable[[str, dict[str, Any]], Awaitable[Any]]


def _session(root: Path, body: Callable[[Any], Awaitable[None]]) -> None:
    """Start `petrock mcp` in `root` and run `body(session)` on an initialised client session."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "petrock_gen", "mcp"],
        cwd=str(root),
        env=dict(os.environ),
    )

    async def main() -> None:
        with anyio.fail_after(120):
            async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
                await session.initialize()
                await body(session)

    anyio.run(main)


async def _call(session: Any, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    result = await session.call_tool(name, arguments)
    assert not result.is_error, result.content
    data: dict[str, Any] = json.loads(result.content[0].text)
    return data


async def _error(session: Any, name: str, arguments: dict[str, Any]) -> str:
    result = await session.call_tool(name, arguments)
    assert result.is_error
    text: str = result.content[0].text
    return text


def test_tools_are_listed_and_annotated(git_project_root: Path) -> None:
    from petrock_gen.agent import READ_ONLY, WRITING

    listed: dict[str, Any] = {}

    async def body(session: Any) -> None:
        listed.update({t.name: t for t in (await session.list_tools()).tools})

    _session(git_project_root, body)
    assert sorted(listed) == sorted(t.name for t in (*READ_ONLY, *WRITING))
    for tool in READ_ONLY:
        assert listed[tool.name].annotations.read_only_hint is True
    for tool in WRITING:
        hints = listed[tool.name].annotations
        assert (hints.read_only_hint, hints.destructive_hint) == (False, True)
    assert listed["new_feature"].description.startswith("`petrock new feature`")
    assert "commands" in listed["plan_new_feature"].input_schema["properties"]


def test_plan_then_write_a_feature_command_and_worker(git_project_root: Path) -> None:
    root = git_project_root
    before = snapshot(root)
    seen: dict[str, Any] = {}

    async def body(session: Any) -> None:
        spec = {"name": "billing", "commands": ["charge:invoice_id=str,amount_cents=int"]}
        seen["plan"] = await _call(session, "plan_new_feature", spec)
        seen["untouched"] = snapshot(root) == before
        seen["added"] = await _call(session, "new_feature", spec)
        seen["dirty"] = await _error(session, "new_command", {"target": "billing/refund"})
        git(root, "add", "-A")
        git(root, "commit", "-qm", "billing")
        seen["command"] = await _call(
            session, "new_command", {"target": "billing/refund", "fields": ["invoice_id:str"]}
        )
        seen["worker"] = await _call(
            session, "new_worker", {"target": "billing/mailer", "allow_dirty": True}
        )
        seen["bad"] = await _error(session, "plan_new_command", {"target": "billing"})
        seen["inspect"] = await _call(session, "inspect", {})
        seen["schemas"] = await _call(session, "command_schemas", {})

    _session(root, body)
    assert seen["untouched"]
    plan, added = seen["plan"], seen["added"]
    assert (plan["applied"], added["applied"]) == (False, True)
    assert plan["files"] == added["files"]
    assert {f["status"] for f in added["files"]} == {"create", "update"}
    assert all((root / f["path"]).is_file() for f in added["files"])
    assert (
        "uncommitted changes: " in seen["dirty"] and "src/shop/features/billing/" in seen["dirty"]
    )
    statuses = {f["path"]: f["status"] for f in seen["command"]["files"]}
    assert statuses["src/shop/features/billing/handlers.py"] == "merge"
    assert "handle_refund" in (root / "src/shop/features/billing/handlers.py").read_text()
    assert seen["worker"]["summary"] == "added worker billing/mailer"
    assert "expected FEATURE/NAME" in seen["bad"]
    (feature,) = seen["inspect"]["features"]
    assert [w["name"] for w in feature["workers"]] == ["billing", "mailer"]
    schemas = seen["schemas"]["schemas"]
    assert sorted(schemas) == ["billing/charge", "billing/refund"]
    assert schemas["billing/charge"]["required"] == ["invoice_id", "amount_cents"]


def test_regenerate_and_migrate_worker_tools(git_project_root: Path) -> None:
    root = git_project_root
    assert subprocess.run(
        [sys.executable, "-m", "petrock_gen", "new", "feature", "billing", "--command=charge", "--commit"],
        cwd=root, capture_output=True, check=False,
    ).returncode == 0  # fmt: skip
    toml = root / "src/shop/features/billing/feature.toml"
    toml.write_text(toml.read_text().replace('description = ""', 'description = "Bills"', 1))
    (root / "legacy").mkdir()
    shutil.copy(LEGACY, root / "legacy" / "workers.py")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "edits")
    seen: dict[str, Any] = {}

    async def body(session: Any) -> None:
        seen["check"] = await _call(session, "regenerate_check", {})
        seen["diff"] = await _call(session, "regenerate_diff", {"features": ["billing"]})
        seen["regenerate"] = await _call(session, "regenerate", {})
        seen["again"] = await _call(session, "regenerate_check", {})
        seen["migrate_diff"] = await _call(session, "migrate_worker_diff", {"paths": ["legacy"]})
        seen["dirty"] = await _error(session, "migrate_worker_apply", {"paths": ["legacy"]})
        git(root, "add", "-A")
        git(root, "commit", "-qm", "regenerated")
        seen["outside"] = await _error(session, "migrate_worker_diff", {"paths": [".."]})
        seen["migrate"] = await _call(session, "migrate_worker_apply", {"paths": ["legacy"]})

    _session(root, body)
    assert (seen["check"]["out_of_date"], seen["check"]["exit_code"]) == (True, 1)
    assert "+++ b/src/shop/features/billing/" in seen["diff"]["diff"]
    assert seen["regenerate"]["applied"] and not seen["again"]["out_of_date"]
    assert "+def build_order_book_worker(" in seen["migrate_diff"]["diff"]
    assert "uncommitted changes" in seen["dirty"]
    assert "outside the project" in seen["outside"]
    assert seen["migrate"]["applied"] and seen["migrate"]["exit_code"] in (0, 1)
    assert (root / "legacy" / "workers.py").read_text() != LEGACY.read_text()
    assert git(root, "status", "--porcelain").strip() == "M legacy/workers.py"


def test_without_the_sdk_petrock_mcp_says_how_to_install_it(tmp_path: Path) -> None:
    hide = "import sys; sys.modules['mcp'] = None; from petrock_gen.cli import main; main(['mcp'])"
    done = subprocess.run(
        [sys.executable, "-c", hide], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'petrock-gen[mcp]'" in lines[0], done.stderr

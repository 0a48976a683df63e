"""Small units: runtime-import placement, generated names, cold start without libcst."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from petrock_gen.migrate._imports import add_imports, first_party_of
from petrock_gen.migrate._names import NameAllocator, snake
from petrock_gen.migrate._rewrite import todo_comment

RUNTIME = "petrock_runtime"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = 1\n", "from petrock_runtime import Message, Retry\n\nx = 1\n"),
        (
            '"""Doc."""\nx = 1\n',
            '"""Doc."""\n\nfrom petrock_runtime import Message, Retry\n\nx = 1\n',
        ),
        (
            '"""Doc."""\nimport os\nfrom a import b\n\nx = 1\nimport late\n',
            '"""Doc."""\nimport os\nfrom a import b\nfrom petrock_runtime import Message, Retry'
            "\n\nx = 1\nimport late\n",
        ),
        (
            "from petrock_runtime import Retry, App\n",
            "from petrock_runtime import Retry, App, Message\n",
        ),
        (
            "from petrock_runtime import App, Retry\n",
            "from petrock_runtime import App, Message, Retry\n",
        ),
    ],
    ids=["top", "after-docstring", "after-leading-imports", "extends-unsorted", "extends-sorted"],
)
def test_add_imports_placement(source: str, expected: str) -> None:
    module = add_imports(cst.parse_module(source), RUNTIME, [("Retry", None), ("Message", None)])
    assert module.code == expected


def test_add_imports_alias_and_nothing_twice() -> None:
    module = add_imports(
        cst.parse_module("Message = 1\n"), RUNTIME, [("Message", "PetrockMessage")]
    )
    assert module.code == ("from petrock_runtime import Message as PetrockMessage\n\nMessage = 1\n")
    again = add_imports(module, RUNTIME, [("Message", "PetrockMessage")])
    assert again.code == module.code


# Import blocks ruff's isort accepts (default config; `myapp` is first party in the test project).
ISORT_CLEAN = {
    "docstring_class": '"""Doc."""\n\n\nclass A:\n    pass\n',
    "stdlib_only": '"""Doc."""\n\nimport os\nfrom typing import Any\n\n\nclass A:\n    pass\n',
    "stdlib_first": "import os\n\nfrom myapp import thing\n\nx = 1\n",
    "first_only": "# lead\nfrom myapp import thing\n\nx = 1\n",
    "first_commented": '"""Doc."""\n\n# about myapp\nfrom myapp import thing\n\nx = 1\n',
    "all_sections": (
        "from __future__ import annotations\n\nimport os\n\nimport attr\nfrom legacy import C\n"
        "from zeta import z\n\nfrom myapp import a\n\nfrom . import rel\n\nx = 1\n"
    ),
    "third_after": "from __future__ import annotations\n\nfrom attr import s\n\nx = 1\n",
    "third_before": "import os\n\nfrom zeta import z\n\nx = 1\n",
    "local_only": "from . import rel\n\nx = 1\n",
    "future_only": "from __future__ import annotations\n\n\ndef f():\n    pass\n",
    "extend_exploded": "from petrock_runtime import (\n    App,\n    Retry,\n)\n\nx = 1\n",
}


def test_runtime_import_keeps_isort_clean_blocks_clean(tmp_path: Path) -> None:
    """Real `ruff check --select I001` (default settings, the project in `tmp_path`) on every
    input and on its output with the runtime names (one aliased) added."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "myapp").mkdir()
    names = [("Retry", None), ("WorkerContext", None), ("Message", None), ("Command", "RtCommand")]
    for case, source in ISORT_CLEAN.items():
        (tmp_path / f"in_{case}.py").write_text(source, encoding="utf-8")
        path = tmp_path / f"out_{case}.py"
        path.write_text(source, encoding="utf-8")
        first_party = first_party_of(str(path))
        module = add_imports(cst.parse_module(source), RUNTIME, names, first_party)
        path.write_text(module.code, encoding="utf-8")
        assert "from petrock_runtime import Command as RtCommand\n" in module.code, case
    assert first_party_of(str(tmp_path / "out_first_only.py"))("myapp")
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I001", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout


def test_names() -> None:
    assert snake("media/uploaded") == "media_uploaded"
    assert snake("ThumbnailWorker") == "thumbnail_worker"
    assert snake("loyalty/transfer-to-partner") == "loyalty_transfer_to_partner"
    names = NameAllocator({"flush", "flush_2"})
    assert [names.allocate("flush"), names.allocate("flush"), names.allocate("class")] == [
        "flush_3",
        "flush_4",
        "class_",
    ]


def test_todo_comment_wraps() -> None:
    lines = todo_comment("TODO(petrock): " + "word " * 40)
    assert lines[0].startswith("# TODO(petrock): ") and all(len(x) <= 88 for x in lines)
    assert all(x.startswith("#   ") for x in lines[1:])


def test_cli_import_does_not_load_libcst() -> None:
    """`petrock --help` stays fast: the migrator's heavy imports happen inside the command."""
    code = "import sys, petrock_gen.cli; print('libcst' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


_ELSE_WORKER = """
class W:
    def work(self):
{loop}
            cmd = msg.decoded_payload
            if cmd.command_name() == "a/b":
{branch}
            self.cursor = msg.id
        else:
            self.done()
"""


@pytest.mark.parametrize(
    ("loop", "branch", "outcome", "reason"),
    [
        (
            "        for msg in self.log.after(self.cursor):",
            "                for x in cmd.items:\n                    break",
            "migrated",
            None,
        ),
        (
            "        for msg in self.log.after(self.cursor):",
            "                for x in cmd.items:\n                    pass\n                else:\n"
            "                    break",
            "refused",
            "this `break` skips the message loop's `else:`",
        ),
        (
            "        while True:\n            msg = self.log.next_after(self.cursor)\n"
            "            if msg is None:\n                break",
            "                self.a()",
            "refused",
            "the `else:` of the `while True:` message loop never runs",
        ),
    ],
    ids=["inner-break", "inner-else-break", "while-else"],
)
def test_message_loop_else(loop: str, branch: str, outcome: str, reason: str | None) -> None:
    from petrock_gen.migrate import migrate_source

    source = _ELSE_WORKER.format(loop=loop, branch=branch)
    _, (result,) = migrate_source(source, "w.py")
    assert result.outcome == outcome
    if reason is not None:
        assert reason in result.findings[0].message


_CLASS_MATCH = """
from dataclasses import dataclass


@dataclass(frozen=True)
class A(Command, name="x/a"):
    key: str
    other: str = ""


@dataclass(frozen=True)
class B(Command, name="x/b"):
    key: str
{extra}

class W:
    def work(self):
        for msg in self.log.after(self.cursor):
            cmd = msg.decoded_payload
            match cmd:
{cases}
            self.cursor = msg.id
"""


@pytest.mark.parametrize(
    ("extra", "cases", "reason"),
    [
        (
            "\n\nclass C(A, name='x/c'):\n    pass\n",
            "                case A():\n                    self.a()",
            "`case A()` also matches its subclasses in this module",
        ),
        (
            "",
            "                case A(other=k) | B(key=k):\n                    self.a(k)",
            "an or-pattern must list classes that capture the same fields alike",
        ),
        (
            "",
            '                case A():\n                    self.a()\n                case "x/b":\n'
            "                    self.b()",
            "a case of `match` on the command is not a class pattern",
        ),
        (
            "",
            "                case events.A():\n                    self.a()",
            "a class pattern names a class outside this module",
        ),
    ],
    ids=["subclassed", "or-captures-differ", "literal-case", "dotted"],
)
def test_class_patterns_refused(extra: str, cases: str, reason: str) -> None:
    from petrock_gen.migrate import migrate_source

    source = _CLASS_MATCH.format(extra=extra, cases=cases)
    _, (result,) = migrate_source(source, "w.py")
    assert result.outcome == "refused"
    assert result.findings[0].message == reason


def test_class_pattern_or_with_same_captures_migrates() -> None:
    from petrock_gen.migrate import migrate_source

    cases = "                case A(key=k) | B(key=k):\n                    self.a(k)"
    new, (result,) = migrate_source(_CLASS_MATCH.format(extra="", cases=cases), "w.py")
    assert result.outcome == "migrated"
    assert "cmd: A | B" in new and "    k = cmd.key\n    ctx.state.a(k)" in new
    assert 'worker.on_command("x/a", handle_x_a)' in new
    assert 'worker.on_command("x/b", handle_x_a)' in new

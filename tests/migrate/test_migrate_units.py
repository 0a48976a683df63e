"""Small units: runtime-import placement, generated names, cold start without libcst."""

from __future__ import annotations

import subprocess
import sys

import libcst as cst
import pytest

from petrock_gen.migrate._imports import add_imports
from petrock_gen.migrate._names import NameAllocator, snake
from petrock_gen.migrate._rewrite import todo_comment

RUNTIME = "petrock_gen.runtime"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = 1\n", "from petrock_gen.runtime import Message, Retry\nx = 1\n"),
        (
            '"""Doc."""\nx = 1\n',
            '"""Doc."""\nfrom petrock_gen.runtime import Message, Retry\nx = 1\n',
        ),
        (
            '"""Doc."""\nimport os\nfrom a import b\n\nx = 1\nimport late\n',
            '"""Doc."""\nimport os\nfrom a import b\nfrom petrock_gen.runtime import Message, Retry'
            "\n\nx = 1\nimport late\n",
        ),
        (
            "from petrock_gen.runtime import Retry, App\n",
            "from petrock_gen.runtime import Retry, App, Message\n",
        ),
    ],
    ids=["top", "after-docstring", "after-leading-imports", "extends-existing"],
)
def test_add_imports_placement(source: str, expected: str) -> None:
    module = add_imports(cst.parse_module(source), RUNTIME, [("Retry", None), ("Message", None)])
    assert module.code == expected


def test_add_imports_alias_and_nothing_twice() -> None:
    module = add_imports(
        cst.parse_module("Message = 1\n"), RUNTIME, [("Message", "PetrockMessage")]
    )
    assert module.code == "from petrock_gen.runtime import Message as PetrockMessage\nMessage = 1\n"
    again = add_imports(module, RUNTIME, [("Message", "PetrockMessage")])
    assert again.code == module.code


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

"""Property tests over generated old-style workers: for random dispatch styles, names, shared
code, skips, defaults and periodic work (after the loop or in its `else:`), the migration parses,
is idempotent, registers exactly the literal names, leaves no undefined names (real ruff), and
behaves like the old worker on the runtime.

Each round ends with a command no branch handles (`other/ignored`): a `continue` also skips the
old loop's cursor bump, so when the skipped message was the last of a batch the old worker ran it
again on the next tick. That quirk is what the migration deliberately drops (the skip happens
once, and the report says so for every such `continue`); the sentinel keeps the comparison about
everything else.
"""

from __future__ import annotations

import importlib.util
import random
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from legacy_commands import ALL
from legacy_core import LegacyLog, Recorder, RecordingExecutor
from petrock_runtime.testing import make_test_app

from petrock_gen.migrate import migrate_source

from ._where import DERANDOMIZE

NAMES = [c.command_name() for c in ALL if c.command_name() != "other/ignored"]
SENTINEL = next(c for c in ALL if c.command_name() == "other/ignored")(key="end")


@st.composite
def workers(draw: st.DrawFn) -> tuple[str, list[str]]:
    """(source of one old-style worker, its literal names in order)."""
    style = draw(st.sampled_from(["temp", "inline", "match"]))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    groups: list[list[str]] = []
    for name in names:
        if groups and len(groups[-1]) == 1 and draw(st.booleans()):
            groups[-1].append(name)
        else:
            groups.append([name])
    shared = draw(st.booleans())
    after = draw(st.booleans())
    wrapped = draw(st.booleans())
    loop = draw(st.sampled_from(["for", "while"]))
    default = draw(st.booleans())
    periodic = draw(st.booleans())
    lines = [
        "from legacy_core import Command",
        "",
        "",
        "class GeneratedWorker:",
        "    def __init__(self, log, executor, service):",
        "        self.log = log",
        "        self.executor = executor",
        "        self.service = service",
        "        self.last_processed_id = 0",
        "        self.counts = {}",
        "        self.seen = 0",
        "",
        "    def work(self):",
    ]
    if loop == "for":
        lines.append("        for msg in self.log.after(self.last_processed_id):")
    else:
        lines += [
            "        while True:",
            "            msg = self.log.next_after(self.last_processed_id)",
            "            if msg is None:",
            "                break",
        ]
    lines += [
        "            cmd = msg.decoded_payload",
        "            if not isinstance(cmd, Command):",
        "                continue",
        "            name = cmd.command_name()",
    ]
    body: list[str] = []
    if shared:
        body.append("            self.seen += 1")
    subject = "name" if style in ("temp", "match") else "cmd.command_name()"
    if style == "match":
        body.append(f"            match {subject}:")
    for index, group in enumerate(groups):
        if style == "match":
            pattern = " | ".join(f'"{n}"' for n in group)
            body.append(f"                case {pattern}:")
        else:
            keyword = "if" if index == 0 else "elif"
            test = (
                f'{subject} == "{group[0]}"'
                if len(group) == 1
                else f"{subject} in ({', '.join(repr(n) for n in group)})"
            )
            body.append(f"            {keyword} {test}:")
        pad = "                    " if style == "match" else "                "
        if loop == "for" and draw(st.booleans()):  # in a `while` fetch loop it would spin
            body += [f"{pad}if cmd.amount < 0:", f"{pad}    continue"]
        if draw(st.booleans()):
            body += [f"{pad}for step in range(cmd.amount):", f"{pad}    if step % 2:",
                     f"{pad}        continue", f"{pad}    self.seen += step"]  # fmt: skip
        body.append(f"{pad}self.counts[cmd.key] = self.counts.get(cmd.key, 0) + {index + 1}")
        if draw(st.booleans()):
            body.append(f"{pad}self.service.saw({index}, cmd.key, msg.id)")
    if default:
        if style == "match":
            body += ["                case _:", "                    self.service.other(name)"]
        else:
            body += ["            else:", "                self.service.other(name)"]
    if after:
        body.append("            self.service.after(msg.id)")
    if wrapped:
        body = ["            try:", *("    " + line for line in body)]
        body += ["            except KeyError:", "                self.service.failed(msg.id)"]
    lines += body
    lines.append("            self.last_processed_id = msg.id")
    if periodic and loop == "for" and draw(st.booleans()):  # no `break`: the `else:` always runs
        lines += ["        else:", "            self.service.tick(sorted(self.counts.items()))"]
    elif periodic:
        lines.append("        self.service.tick(sorted(self.counts.items()))")
    return "\n".join(lines) + "\n", names


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def registrations(module: ModuleType) -> list[str]:
    worker = module.build_worker(module.GeneratedWorker(None, None, None))
    return list(worker.registered_commands())


def run_old(module: ModuleType, rounds: list[list[object]]) -> tuple[object, ...]:
    log, executor, service = LegacyLog(), RecordingExecutor(), Recorder()
    worker = module.GeneratedWorker(log, executor, service)
    for batch in rounds:
        for command in batch:
            log.append(command)
        worker.work()
    return worker.counts, worker.seen, service.calls


def run_new(module: ModuleType, rounds: list[list[object]]) -> tuple[object, ...]:
    executor, service = RecordingExecutor(), Recorder()
    state = module.GeneratedWorker(None, executor, service)
    app = make_test_app()
    app.register_commands(*ALL)
    app.register_worker(module.build_worker(state))
    for batch in rounds:
        for command in batch:
            app.execute(command)  # type: ignore[arg-type]
        app.run_until_idle()
    assert app.dead_letters() == []
    return state.counts, state.seen, service.calls


def test_generated_workers(tmp_path: Path) -> None:
    outputs: list[Path] = []

    @settings(
        max_examples=25,
        suppress_health_check=[HealthCheck.too_slow],
        deadline=None,
        derandomize=DERANDOMIZE,
    )
    @given(workers(), st.integers(0, 2**32))
    def check(worker: tuple[str, list[str]], seed: int) -> None:
        source, names = worker
        index = len(outputs)
        before, after = tmp_path / f"before_{index}.py", tmp_path / f"after_{index}.py"
        before.write_text(source, encoding="utf-8")
        new, (result,) = migrate_source(source, str(after))
        assert result.outcome == "migrated", result
        after.write_text(new, encoding="utf-8")
        outputs.append(after)
        compile(new, str(after), "exec")
        assert migrate_source(new, str(after))[0] == new
        old_module = load(before, f"generated_before_{index}")
        new_module = load(after, f"generated_after_{index}")
        assert registrations(new_module) == names
        rng = random.Random(seed)
        rounds = [
            [
                *(
                    rng.choice(ALL)(key=rng.choice("abq"), amount=rng.randint(-2, 6))
                    for _ in range(rng.randint(0, 6))
                ),
                SENTINEL,
            ]
            for _ in range(rng.randint(1, 3))
        ]
        assert run_new(new_module, rounds) == run_old(old_module, rounds)

    check()
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "F821,F841"]
        + [str(p) for p in outputs],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout

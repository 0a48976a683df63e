"""Benchmark: `petrock migrate-worker` on 100 worker files against libcst parse + print.

Both sides are whole processes started the same way, on the same 100 generated old-style worker
files (50-150 lines each, four dispatch variants), in the same run; each figure is the best of
`--repeat` runs. Also `petrock --help` against `python -c pass`.

    python benchmarks/bench_migrate.py [--files 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

BASELINE = (
    "import pathlib, sys, libcst\n"
    "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.py')):\n"
    "    libcst.parse_module(path.read_text(encoding='utf-8')).code\n"
)


def branch_code(variant: str, index: int, name: str) -> tuple[str, str]:
    """(test, body) of one dispatch branch."""
    body = (
        f"                self.totals[cmd.key] = self.totals.get(cmd.key, 0) + {index}\n"
        f"                if cmd.amount > {index}:\n"
        f"                    self._note(cmd.key, msg.id)\n"
    )
    if variant == "if":
        return f'name == "{name}"', body
    if variant == "inline":
        return f'cmd.command_name() == "{name}"', body
    return f'"{name}"', body


def worker_file(number: int, rng: random.Random) -> str:
    variant = rng.choice(["if", "inline", "match", "while"])
    branches = rng.randint(4, 27)
    names = [f"feature{number}/command-{i}" for i in range(branches)]
    head = (
        f'"""Generated old-style worker {number} ({variant})."""\n\n'
        "import logging\n\nfrom core import Command\n\nlogger = logging.getLogger(__name__)\n\n\n"
        f"class Worker{number}:\n"
        f'    """Worker number {number}."""\n\n'
        "    def __init__(self, log, executor):\n"
        "        self.log = log\n        self.executor = executor\n"
        "        self.last_processed_id = 0\n        self.totals = {}\n        self.notes = []\n\n"
        "    def work(self):\n"
    )
    if variant == "while":
        loop = (
            "        while True:\n"
            "            msg = self.log.next_after(self.last_processed_id)\n"
            "            if msg is None:\n                break\n"
        )
    else:
        loop = "        for msg in self.log.after(self.last_processed_id):\n"
    loop += (
        "            cmd = msg.decoded_payload\n"
        "            if not isinstance(cmd, Command):\n                continue\n"
        "            name = cmd.command_name()\n"
    )
    dispatch = "            match name:\n" if variant == "match" else ""
    for i, name in enumerate(names):
        test, body = branch_code("if" if variant == "while" else variant, i, name)
        if variant == "match":
            indented = "".join(f"    {line}\n" for line in body.splitlines())
            dispatch += f"                case {test}:\n" + indented
        else:
            keyword = "if" if i == 0 else "elif"
            dispatch += f"            {keyword} {test}:\n" + body
    tail = (
        "            self.last_processed_id = msg.id\n"
        "        self.flush()\n\n"
        "    def flush(self):\n"
        '        """Log what was noted."""\n'
        "        for note in self.notes:\n"
        '            logger.info("note %s", note)\n'
        "        self.notes.clear()\n\n"
        "    def _note(self, key, message_id):\n"
        "        self.notes.append((key, message_id))\n"
    )
    return head + loop + dispatch + tail


def generate(directory: Path, count: int) -> None:
    rng = random.Random(20261129)
    (directory / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    for number in range(count):
        (directory / f"worker_{number:03}.py").write_text(worker_file(number, rng))


def best(repeat: int, prepare: Callable[[], None], command: list[str]) -> float:
    times = []
    for _ in range(repeat):
        prepare()
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise RuntimeError(done.stderr)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; 0 when every target is met, else 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        source, work = Path(temp) / "source", Path(temp) / "work"
        source.mkdir()
        generate(source, args.files)
        lines = [len(p.read_text().splitlines()) for p in source.glob("*.py")]

        def fresh() -> None:
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(source, work)

        python = sys.executable
        baseline = best(args.repeat, fresh, [python, "-c", BASELINE, str(work)])
        rows = []
        for jobs in (1, 2):
            command = [
                python,
                "-m",
                "petrock_gen",
                "migrate-worker",
                str(work),
                "--jobs",
                str(jobs),
            ]
            seconds = best(args.repeat, fresh, command)
            rows.append((f"migrate {args.files} files, --jobs {jobs}", seconds, baseline, 4.0))
        bare = best(args.repeat, lambda: None, [python, "-c", "pass"])
        help_ = best(args.repeat, lambda: None, [python, "-m", "petrock_gen", "--help"])
    table = Table(title=f"bench_migrate: {len(lines)} files, {min(lines)}-{max(lines)} lines")
    for column in ("figure", "value", "baseline", "ratio", "target"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    ok = True
    for figure, value, base, target in rows:
        ratio = value / base
        ok &= ratio <= target
        table.add_row(
            figure,
            f"{value:.2f} s",
            f"{base:.2f} s (libcst parse+print)",
            f"{ratio:.2f}x",
            f"<= {target}x",
        )
    extra = help_ - bare
    ok &= extra <= 0.35
    table.add_row(
        "petrock --help",
        f"{help_:.3f} s",
        f"{bare:.3f} s (python -c pass)",
        f"+{extra:.3f} s",
        "<= +0.35 s",
    )
    Console().print(table)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""End to end: a project with 100 generated features regenerates after a template change, keeps
the user's edits, and its own test suite (and ruff) still pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from regen_kit import TemplateEdit, make_project, tree

from petrock_gen.generate import (
    FeatureName,
    FeatureSpec,
    WorkerName,
    WorkerSpec,
    dump_feature_spec,
    parse_command_spec,
)
from petrock_gen.regenerate import regenerate

COMMANDS = (
    "charge:invoice_id=str,amount_cents=int,note=str?",
    "refund:invoice_id=str,reason=str=duplicate,tags=list[str]=[]",
    "settle:on=date,total=decimal,ref=uuid?",
)


def write_specs(root: Path, count: int) -> list[str]:
    """`count` feature specs, as `petrock new feature` writes them; returns their names."""
    names = []
    for index in range(count):
        name = FeatureName.parse(f"area_{index:03d}")
        commands = tuple(parse_command_spec(c) for c in COMMANDS[: 1 + index % 3])
        handles = tuple(c.name for c in commands)
        workers = (WorkerSpec(WorkerName(name.snake), handles, periodic=index % 2 == 0),)
        spec = FeatureSpec(name=name, commands=commands, workers=workers)
        folder = root / "src/shop/features" / name.snake
        folder.mkdir(parents=True)
        (folder / "feature.toml").write_text(dump_feature_spec(spec))
        names.append(name.snake)
    return names


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=root, capture_output=True, text=True, check=False
    )


@pytest.mark.slow
def test_hundred_features_regenerate_after_a_template_change(
    tmp_path: Path, templates: TemplateEdit
) -> None:
    root = make_project(tmp_path / "shop")
    names = write_specs(root, 100)
    first = regenerate(root)
    assert first.exit_code == 0
    assert len(first.plan.changes()) == 100 * 6 + sum(1 for i in range(100) if i % 2 == 0) + 1

    # The user works on a few features: handler bodies, a helper, a comment in generated code.
    edited = names[::17]
    for name in edited:
        folder = root / "src/shop/features" / name
        handlers = folder / "handlers.py"
        text = handlers.read_text().replace(
            "    if ctx.is_replay:\n",
            f"    assert ctx.state is not None  # {name} was here\n    if ctx.is_replay:\n",
            1,
        )
        handlers.write_text(text + f'\n\ndef helper_{name}() -> str:\n    return "{name}"\n')
        worker = folder / "worker.py"
        worker.write_text(
            worker.read_text().replace('"""\n\nfrom', f'"""\n\n# {name} notes\n\nfrom', 1)
        )

    templates(
        "worker.py.jinja",
        lambda t: t.replace(
            "    return worker\n", "    # built by template v2\n    return worker\n"
        ),
    )
    report = regenerate(root)
    assert report.exit_code == 0, report.summary_line()
    assert {f.status for f in report.features if f.name in names} == {"updated"}
    for name in names:
        assert (
            "# built by template v2\n"
            in (root / "src/shop/features" / name / "worker.py").read_text()
        )
    for name in edited:
        folder = root / "src/shop/features" / name
        assert f"# {name} notes\n" in (folder / "worker.py").read_text()
        handlers = (folder / "handlers.py").read_text()
        assert (
            f"    assert ctx.state is not None  # {name} was here\n" in handlers
            and f"def helper_{name}()" in handlers
        )

    before = tree(root)
    assert regenerate(root).plan.actions == []  # the hash skip: nothing rendered
    assert tree(root) == before

    tests = run(root, "pytest", "-q", "-x", "-p", "no:cacheprovider")
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-3000:]
    # Per feature one test of its own, per command a JSON round trip and a handler/replay test.
    expected = sum(1 + 2 * (1 + i % 3) for i in range(100))
    assert f"{expected} passed" in tests.stdout
    lint = run(root, "ruff", "check", "--no-cache", "src", "tests")
    assert lint.returncode == 0, lint.stdout[-3000:]
    fmt = run(root, "ruff", "format", "--check", "--no-cache", "src", "tests")
    assert fmt.returncode == 0, fmt.stdout[-3000:]

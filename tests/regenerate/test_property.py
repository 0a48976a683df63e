"""Property: random user edits + spec changes + a template change, then regenerate.

Every example builds a project of 1-3 features with the generator, regenerates once (so every
feature is recorded), then draws per feature: user edits (a function added to the handlers, a
handler body edited, a comment in a generated file, the generated docstring rewritten, a generated
file and the user's test module deleted) and a spec change (add, remove or rename a command; add,
rename or remove a field); and for the project
a template change (the generated docstring's first line, a trailing marker in commands.py). After
`regenerate`:

- every line the user added is still in its file;
- every template change that does not meet a user edit is applied;
- conflicts are reported exactly where both changed the same line (the docstring's first line);
- every file without conflict markers parses, new commands have handler stubs, removed ones are
  reported orphaned and kept;
- running regenerate again changes nothing.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from regen_kit import add_feature, make_project, template_copy, tree

from petrock_gen.files import has_conflict_markers
from petrock_gen.generate import dump_feature_spec, load_feature_spec, parse_command_spec
from petrock_gen.regenerate import regenerate

FEATURES = ("billing", "mail", "stock")
SPEC_CHANGES = ("none", "add", "remove", "rename", "field", "rename_field", "remove_field")
FIRST_LINE_V2 = '"""Workers (v2) of the {{ f.name.snake }} feature: handlers and periodic work.\n'
COMMANDS_MARKER = "# template v2 marker\n"


@dataclass
class FeaturePlan:
    """What one example does to one feature."""

    name: str
    periodic: bool
    add_function: bool
    edit_body: bool
    comment: bool
    rewrite_docstring: bool
    delete_init: bool
    delete_tests: bool
    spec_change: str
    added_lines: dict[str, list[str]] = field(default_factory=dict)
    new_command: str | None = None
    removed_command: str | None = None


@st.composite
def feature_plans(draw: st.DrawFn) -> list[FeaturePlan]:
    count = draw(st.integers(1, 3))
    return [
        FeaturePlan(
            name=FEATURES[i],
            periodic=draw(st.booleans()),
            add_function=draw(st.booleans()),
            edit_body=draw(st.booleans()),
            comment=draw(st.booleans()),
            rewrite_docstring=draw(st.booleans()),
            delete_init=draw(st.booleans()),
            delete_tests=draw(st.booleans()),
            spec_change=draw(st.sampled_from(SPEC_CHANGES)),
        )
        for i in range(count)
    ]


def _feature_dir(root: Path, name: str) -> Path:
    return root / "src/shop/features" / name


def _user_edits(root: Path, plan: FeaturePlan) -> None:
    folder = _feature_dir(root, plan.name)
    handlers, worker = folder / "handlers.py", folder / "worker.py"
    if plan.add_function:
        lines = [f"def user_helper_{plan.name}() -> int:\n", f"    return {len(plan.name)}\n"]
        handlers.write_text(handlers.read_text() + "\n\n" + "".join(lines))
        plan.added_lines.setdefault("handlers.py", []).extend(lines)
    if plan.edit_body:
        line = f"    ctx.state  # user edit in {plan.name}\n"
        text = handlers.read_text().replace(
            "    if ctx.is_replay:\n", line + "    if ctx.is_replay:\n", 1
        )
        handlers.write_text(text)
        plan.added_lines.setdefault("handlers.py", []).append(line)
    text = worker.read_text()
    if plan.comment:
        line = f"# user note about {plan.name}\n"
        end = text.index('"""\n', 3) + 4
        text = text[:end] + line + text[end:]
        plan.added_lines.setdefault("worker.py", []).append(line)
    if plan.rewrite_docstring:
        _first, rest = text.split("\n", 1)
        line = f'"""My own words about {plan.name}.'
        text = line + "\n" + rest
        plan.added_lines.setdefault("worker.py", []).append(line + "\n")
    worker.write_text(text)
    if plan.delete_init:
        (folder / "__init__.py").unlink()
    if plan.delete_tests:
        (root / f"tests/features/test_{plan.name}.py").unlink()


def _spec_change(root: Path, plan: FeaturePlan) -> None:
    path = _feature_dir(root, plan.name) / "feature.toml"
    spec = load_feature_spec(path)
    commands = list(spec.commands)
    if plan.spec_change in ("remove", "rename"):
        plan.removed_command = commands.pop().name.snake
    if plan.spec_change in ("add", "rename"):
        plan.new_command = f"extra_{plan.name}"
        commands.append(parse_command_spec(f"{plan.new_command}:note=str,qty=int"))
    first = commands[0]
    if plan.spec_change == "field":
        extra = parse_command_spec("tmp:added_field=int?").fields
        commands[0] = dataclasses.replace(first, fields=(*first.fields, *extra))
    if plan.spec_change == "rename_field":
        renamed = parse_command_spec("tmp:renamed_field=str").fields
        commands[0] = dataclasses.replace(first, fields=(*renamed, *first.fields[1:]))
    if plan.spec_change == "remove_field":
        commands[0] = dataclasses.replace(first, fields=first.fields[1:])
    names = tuple(c.name for c in commands)
    workers = tuple(dataclasses.replace(w, handles=names) for w in spec.workers)
    updated = dataclasses.replace(spec, commands=tuple(commands), workers=workers)
    path.write_text(dump_feature_spec(updated))


@settings(
    max_examples=25,
    derandomize=bool(os.environ.get("CI")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(feature_plans(), st.booleans(), st.booleans())
def test_regenerate_keeps_user_lines_applies_templates_and_is_idempotent(
    plans: list[FeaturePlan], change_docstring: bool, commands_marker: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp, template_copy(Path(tmp)) as edit_template:
        root = make_project(Path(tmp) / "shop")
        for plan in plans:
            add_feature(
                root,
                plan.name,
                "charge:invoice_id=str,amount_cents=int",
                "refund:note=str?",
                periodic=plan.periodic,
            )
        regenerate(root)
        for plan in plans:
            _user_edits(root, plan)
            _spec_change(root, plan)
        if change_docstring:
            edit_template("worker.py.jinja", lambda t: FIRST_LINE_V2 + t.split("\n", 1)[1])
        if commands_marker:
            edit_template("commands.py.jinja", lambda t: t + COMMANDS_MARKER)

        report = regenerate(root)

        expected_conflicts = {
            f"src/shop/features/{p.name}/worker.py"
            for p in plans
            if p.rewrite_docstring and change_docstring
        }
        conflicts = {path for f in report.features for path in f.conflicts}
        assert conflicts == expected_conflicts
        for plan in plans:
            _check_feature(
                root, plan, report, change_docstring, commands_marker, expected_conflicts
            )
        for path, content in tree(root).items():
            if path.endswith(".py") and not path.startswith(".petrock"):
                if has_conflict_markers(content.decode()):
                    assert path in expected_conflicts
                else:
                    ast.parse(content, filename=path)

        before = tree(root)
        again = regenerate(root)
        assert tree(root) == before
        assert again.plan.changes() == []


def _check_feature(
    root: Path,
    plan: FeaturePlan,
    report: object,
    change_docstring: bool,
    commands_marker: bool,
    conflicts: set[str],
) -> None:
    folder = _feature_dir(root, plan.name)
    for filename, lines in plan.added_lines.items():
        kept = (folder / filename).read_text().splitlines(keepends=True)
        for line in lines:
            assert line in kept, f"{line!r} lost from {plan.name}/{filename}"
    worker = (folder / "worker.py").read_text()
    first_line_v2 = FIRST_LINE_V2.replace("{{ f.name.snake }}", plan.name)
    if change_docstring and not plan.rewrite_docstring:
        assert worker.startswith(first_line_v2)
    if commands_marker:
        assert (folder / "commands.py").read_text().endswith(COMMANDS_MARKER)
    assert (folder / "__init__.py").exists() is not plan.delete_init
    assert (root / f"tests/features/test_{plan.name}.py").exists() is not plan.delete_tests
    handlers = (folder / "handlers.py").read_text()
    if plan.new_command:
        assert f"def handle_{plan.new_command}(" in handlers
        if f"src/shop/features/{plan.name}/worker.py" not in conflicts:
            assert f"handle_{plan.new_command})" in worker
    feature = next(f for f in report.features if f.name == plan.name)  # type: ignore[attr-defined]
    deleted = {path.rsplit("/", 1)[-1] for path in feature.deleted}
    if feature.rendered:  # a feature skipped by its inputs hash reports nothing
        assert ("__init__.py" in deleted) is plan.delete_init
        assert (f"test_{plan.name}.py" in deleted) is plan.delete_tests
    if plan.removed_command:
        assert f"def handle_{plan.removed_command}(" in handlers
        assert f"handle_{plan.removed_command} (handlers.py)" in feature.orphaned

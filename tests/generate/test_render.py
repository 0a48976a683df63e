"""Rendering: golden files byte for byte, determinism, and ruff-stable output for any spec.

Set PETROCK_UPDATE_GOLDEN=1 to rewrite the golden files after an intended template change.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from petrock_gen.errors import UserError
from petrock_gen.files import RenderedFile
from petrock_gen.generate import (
    BASE_TYPES,
    CommandName,
    CommandSpec,
    FeatureName,
    FeatureSpec,
    FieldName,
    FieldSpec,
    FieldType,
    PackageName,
    Project,
    WorkerName,
    WorkerSpec,
    parse_command_spec,
    render_feature,
    render_registry,
)

GOLDEN = Path(__file__).parent / "golden"
PROJECT = Project(Path("/nowhere/shop"), PackageName("shop"))


def _spec(
    name: str, commands: list[str], workers: list[WorkerSpec], description: str = ""
) -> FeatureSpec:
    return FeatureSpec(
        FeatureName(name),
        description,
        tuple(parse_command_spec(c) for c in commands),
        tuple(workers),
    )


CASES = {
    "billing": _spec(
        "billing",
        [
            "charge:invoice_id=str,amount_cents=int,note=str?,tags=list[str]=[],price=Decimal=1.50,"
            "at=datetime?,due=date,ref=UUID,ratio=float=0.5,urgent=bool=false",
            "refund",
        ],
        [
            WorkerSpec(WorkerName("billing"), (CommandName("charge"), CommandName("refund"))),
            WorkerSpec(WorkerName("notifier"), (CommandName("refund"),), "Sends mails", False),
        ],
        "Charges and refunds invoices",
    ),
    "empty": _spec("audit_log", [], [WorkerSpec(WorkerName("audit_log"), (), periodic=False)]),
    "long_names": _spec(
        "a_really_long_feature_name_for_testing",
        ["an_extremely_long_command_name_to_wrap:a_long_field_name_number_one=list[Decimal]?"],
        [
            WorkerSpec(
                WorkerName("a_really_long_feature_name_for_testing"),
                (CommandName("an_extremely_long_command_name_to_wrap"),),
            ),
            WorkerSpec(
                WorkerName("another_quite_long_worker_name_here"),
                (CommandName("an_extremely_long_command_name_to_wrap"),),
            ),
        ],
    ),
}


def _files(case: str) -> list[RenderedFile]:
    spec = CASES[case]
    return [*render_feature(PROJECT, spec), render_registry(PROJECT, [spec])]


@pytest.mark.parametrize("case", sorted(CASES))
def test_templates_render_the_golden_files_byte_for_byte(case: str) -> None:
    files = _files(case)
    folder = GOLDEN / case
    if os.environ.get("PETROCK_UPDATE_GOLDEN"):
        for file in files:
            target = folder / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content.encode("utf-8"))
    expected = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert sorted(f.path for f in files) == expected
    for file in files:
        assert file.content.encode("utf-8") == (folder / file.path).read_bytes(), file.path


def test_kinds_say_who_owns_each_file() -> None:
    kinds = {f.path.rsplit("/", 1)[-1]: f.kind for f in _files("billing")}
    assert kinds == {
        "feature.toml": "generated",
        "__init__.py": "generated",
        "commands.py": "generated",
        "worker.py": "generated",
        "registry.py": "generated",
        "state.py": "user",
        "handlers.py": "user",
        "periodic.py": "user",
        "test_billing.py": "user",
    }


def test_no_periodic_work_means_no_periodic_module() -> None:
    assert not [f for f in _files("empty") if f.path.endswith("periodic.py")]


def test_registry_lists_features_sorted_whatever_the_order() -> None:
    a, b = CASES["billing"], CASES["empty"]
    assert render_registry(PROJECT, [a, b]) == render_registry(PROJECT, [b, a])
    assert "FEATURES: tuple[str, ...] = ()" in render_registry(PROJECT, []).content


def _ruff_check(folder: Path) -> None:
    (folder / "pyproject.toml").write_text(
        '[tool.ruff]\nline-length = 100\n[tool.ruff.lint]\nselect = ["E", "F", "W", "I", "UP", "B",'
        ' "SIM", "RUF"]\nignore = ["E501"]\n[tool.ruff.lint.isort]\nknown-first-party = ["shop"]\n'
    )
    for args in (["format", "--check", "--diff", "."], ["check", "."]):
        result = subprocess.run(["ruff", *args], cwd=folder, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


_idents = st.from_regex(r"[a-z][a-z0-9]{0,12}(_[a-z0-9]{1,12}){0,3}", fullmatch=True)


@st.composite
def feature_specs(draw: st.DrawFn) -> FeatureSpec:
    """Random valid feature specs (names validated by the real parsers)."""

    def valid(cls: type, text: str) -> object:
        try:
            return cls.parse(text)  # type: ignore[attr-defined]
        except UserError:
            return None

    names = [
        n
        for n in draw(st.lists(_idents, min_size=1, max_size=4, unique=True))
        if valid(CommandName, n)
    ]
    commands = []
    for name in names:
        fields = []
        for field_name in draw(st.lists(_idents, max_size=4, unique=True)):
            if valid(FieldName, field_name) is None:
                continue
            base = draw(st.sampled_from(BASE_TYPES))
            fields.append(
                FieldSpec(
                    FieldName(field_name), FieldType(base, draw(st.booleans()), draw(st.booleans()))
                )
            )
        commands.append(CommandSpec(CommandName(name), tuple(fields)))
    feature = draw(_idents.filter(lambda n: valid(FeatureName, n) is not None))
    extra = [
        w
        for w in draw(st.lists(_idents, max_size=2, unique=True))
        if valid(WorkerName, w) and w != feature
    ]
    handles = tuple(c.name for c in commands)
    workers = [WorkerSpec(WorkerName(feature), handles, periodic=draw(st.booleans()))]
    workers += [
        WorkerSpec(WorkerName(w), handles[: draw(st.integers(0, len(handles)))]) for w in extra
    ]
    return FeatureSpec(FeatureName(feature), "", tuple(commands), tuple(workers))


@pytest.mark.slow
@settings(
    derandomize=bool(os.environ.get("CI")),
    max_examples=15,
    deadline=None,  # each example runs ruff in a subprocess: its time depends on the machine's load
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(feature_specs())
def test_any_spec_renders_ruff_clean_deterministic_code(tmp_path: Path, spec: FeatureSpec) -> None:
    try:
        render_feature(PROJECT, spec)
    except UserError as error:  # generated names collide: refused, checked in test_ops
        assume("would both use the name" not in error.message)
        raise
    files = [*render_feature(PROJECT, spec), render_registry(PROJECT, [spec])]
    assert files == [*render_feature(PROJECT, spec), render_registry(PROJECT, [spec])]
    folder = tmp_path / spec.name.snake
    for file in files:
        target = folder / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.content, encoding="utf-8")
        if file.path.endswith(".py"):
            compile(file.content, file.path, "exec")
    _ruff_check(folder)


def test_registry_of_many_features_is_already_in_ruff_format() -> None:
    from petrock_gen.generate._render import ruff_format

    specs = [FeatureSpec(FeatureName(f"feature_{i:03d}")) for i in range(40)]
    content = render_registry(PROJECT, specs).content
    assert ruff_format(content) == content
    assert '    "feature_039",\n)\n' in content

"""regenerate(): hash skip, template changes, merges, conflicts, orphans, deletions, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from regen_kit import TemplateEdit, add_feature, tree

from petrock_gen.errors import UserError
from petrock_gen.files import BASELINES_DIR, MANIFEST_PATH, has_conflict_markers, load_manifest
from petrock_gen.regenerate import REGISTRY, RegenerateReport, regenerate

BILLING = "src/shop/features/billing"


def statuses(report: RegenerateReport) -> dict[str, str]:
    return {f.name: f.status for f in report.features if f.name != REGISTRY}


def mtimes(root: Path) -> dict[str, int]:
    return {p.as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_noop_run_renders_and_writes_nothing(project: Path) -> None:
    regenerate(project)  # records every feature's inputs hash
    before, stamps = tree(project), mtimes(project)
    report = regenerate(project)
    assert statuses(report) == {"billing": "up to date", "mail": "up to date"}
    assert not any(f.rendered for f in report.features)
    assert report.plan.actions == []
    assert report.exit_code == 0
    assert tree(project) == before and mtimes(project) == stamps


def test_template_change_replaces_unedited_generated_files(
    project: Path, templates: TemplateEdit
) -> None:
    regenerate(project)
    user_files = {p: c for p, c in tree(project).items() if p.endswith(("handlers.py", "state.py"))}
    templates(
        "worker.py.jinja", lambda t: t.replace("    return worker\n", "    return worker  # v2\n")
    )
    report = regenerate(project)
    assert statuses(report) == {"billing": "updated", "mail": "updated"}
    assert "return worker  # v2\n" in (project / BILLING / "worker.py").read_text()
    assert (project / BASELINES_DIR / BILLING / "worker.py").read_text() == (
        project / BILLING / "worker.py"
    ).read_text()
    assert {p: c for p, c in tree(project).items() if p in user_files} == user_files
    assert regenerate(project).plan.actions == []  # the new version is recorded


def test_edits_to_generated_files_are_merged_with_the_template_change(
    project: Path, templates: TemplateEdit
) -> None:
    worker = project / BILLING / "worker.py"
    worker.write_text(worker.read_text().replace('"""\n\nfrom', '"""\n\n# my comment\n\nfrom', 1))
    templates(
        "worker.py.jinja", lambda t: t.replace("    return worker\n", "    return worker  # v2\n")
    )
    report = regenerate(project)
    billing = next(f for f in report.features if f.name == "billing")
    assert billing.counts.get("merge") == 1
    text = worker.read_text()
    assert "# my comment\n" in text and "return worker  # v2\n" in text


def test_conflict_writes_markers_exits_1_and_refuses_the_file_next_time(
    project: Path, templates: TemplateEdit
) -> None:
    worker = project / BILLING / "worker.py"
    worker.write_text(
        worker.read_text().replace("    return worker\n", "    return worker  # mine\n")
    )
    templates(
        "worker.py.jinja", lambda t: t.replace("    return worker\n", "    return worker  # v2\n")
    )
    report = regenerate(project)
    assert report.exit_code == 1
    billing = next(f for f in report.features if f.name == "billing")
    assert billing.status == "conflict" and billing.conflicts == (f"{BILLING}/worker.py",)
    text = worker.read_text()
    assert "<<<<<<< yours\n    return worker  # mine\n||||||| baseline\n    return worker\n" in text
    assert "=======\n    return worker  # v2\n>>>>>>> petrock\n" in text
    again = regenerate(project)
    assert again.exit_code == 1
    [refused] = [
        a for a in again.plan.actions if a.path.endswith("worker.py") and "billing" in a.path
    ]
    assert refused.content is None and "conflict markers" in refused.detail
    # Resolved by the user: the feature is up to date and the hash skip applies again.
    worker.write_text(text.split("<<<<<<< yours\n")[0] + "    return worker  # mine and v2\n")
    assert regenerate(project).exit_code == 0
    assert regenerate(project).plan.actions == []


def test_new_command_adds_handler_stub_without_touching_user_code(project: Path) -> None:
    handlers = project / BILLING / "handlers.py"
    mine = handlers.read_text() + "\n\ndef my_helper() -> int:\n    return 42\n"
    mine = mine.replace(
        "    if ctx.is_replay:\n", "    ctx.state  # mine\n    if ctx.is_replay:\n", 1
    )
    handlers.write_text(mine)
    spec = project / BILLING / "feature.toml"
    text = spec.read_text().replace(
        'handles = ["charge", "refund"]', 'handles = ["charge", "refund", "void"]'
    )
    spec.write_text(text + '\n[[commands]]\nname = "void"\ndescription = ""\nfields = []\n')
    report = regenerate(project)
    assert report.exit_code == 0
    after = handlers.read_text()
    assert after.startswith(mine.split("from shop.features.billing.commands import")[0])
    for line in mine.splitlines():
        if "import" not in line:
            assert line in after.splitlines()
    assert "def handle_void(" in after
    assert after.index("def handle_void(") > after.index("def my_helper(")
    assert "Void" in (project / BILLING / "commands.py").read_text()
    assert "handle_void" in (project / BILLING / "worker.py").read_text()
    assert "feature.toml" not in {a.path.rsplit("/", 1)[-1] for a in report.plan.changes()}


def test_removed_command_is_reported_orphaned_and_kept(project: Path) -> None:
    spec = project / BILLING / "feature.toml"
    text = spec.read_text().replace('handles = ["charge", "refund"]', 'handles = ["charge"]')
    start = text.index('[[commands]]\nname = "refund"')
    end = text.index("[[workers]]")
    spec.write_text(text[:start] + text[end:])
    report = regenerate(project)
    billing = next(f for f in report.features if f.name == "billing")
    assert "handle_refund (handlers.py)" in billing.orphaned
    assert "orphaned: handle_refund (handlers.py)" in billing.notes()
    assert "def handle_refund(" in (project / BILLING / "handlers.py").read_text()
    assert "Refund" not in (project / BILLING / "worker.py").read_text()


def test_deleted_generated_file_stays_deleted_and_is_reported(
    project: Path, templates: TemplateEdit
) -> None:
    (project / BILLING / "__init__.py").unlink()
    templates("__init__.py.jinja", lambda t: t + "# v2\n")
    report = regenerate(project)
    billing = next(f for f in report.features if f.name == "billing")
    assert billing.deleted == (f"{BILLING}/__init__.py",)
    assert not (project / BILLING / "__init__.py").exists()
    assert (project / "src/shop/features/mail/__init__.py").read_text().endswith("# v2\n")


def test_corrupt_spec_names_file_and_line_and_writes_nothing(project: Path) -> None:
    spec = project / BILLING / "feature.toml"
    lines = spec.read_text().splitlines(keepends=True)
    lines[5] = "name = \n"
    spec.write_text("".join(lines))
    before = tree(project)
    with pytest.raises(UserError) as raised:
        regenerate(project)
    assert f"{spec}:6:" in raised.value.message
    assert tree(project) == before


def test_missing_baselines_never_overwrite_user_edits(project: Path) -> None:
    worker = project / BILLING / "worker.py"
    edited = worker.read_text() + "\n# mine\n"
    worker.write_text(edited)
    shutil.rmtree(project / ".petrock")
    report = regenerate(project)
    assert report.exit_code == 1  # no baseline: merged against an empty base
    action = next(a for a in report.plan.actions if a.path == f"{BILLING}/worker.py")
    assert action.status == "conflict" and action.detail.startswith("no baseline")
    text = worker.read_text()
    assert "# mine\n" in text and has_conflict_markers(text)
    # Every unedited file matched its render and got its baseline back.
    assert (project / BASELINES_DIR / BILLING / "commands.py").is_file()
    assert (project / MANIFEST_PATH).is_file()


def test_named_features_only(project: Path, templates: TemplateEdit) -> None:
    regenerate(project)
    templates("commands.py.jinja", lambda t: t + "# v2\n")
    report = regenerate(project, ["mail"])
    assert [f.name for f in report.features] == ["mail", REGISTRY]
    assert (project / "src/shop/features/mail/commands.py").read_text().endswith("# v2\n")
    assert not (project / BILLING / "commands.py").read_text().endswith("# v2\n")
    with pytest.raises(UserError, match="no feature named 'nope'") as raised:
        regenerate(project, ["nope"])
    assert raised.value.hint == "features: billing, mail"


def test_check_diff_and_dry_run_write_nothing(project: Path, templates: TemplateEdit) -> None:
    regenerate(project)
    templates("commands.py.jinja", lambda t: t + "# v2\n")
    before = tree(project)
    check = regenerate(project, mode="check")
    assert check.exit_code == 1 and check.out_of_date
    assert statuses(check)["billing"] == "out of date"
    diff = regenerate(project, mode="diff")
    assert f"+++ b/{BILLING}/commands.py\n" in diff.plan.diff() and "+# v2\n" in diff.plan.diff()
    assert diff.exit_code == 0
    dry = regenerate(project, mode="dry-run")
    assert {a.status for a in dry.plan.actions} >= {"update"}
    assert tree(project) == before
    regenerate(project)
    assert regenerate(project, mode="check").exit_code == 0


def test_new_feature_is_picked_up_and_registered(project: Path) -> None:
    regenerate(project)
    add_feature(project, "stock", "reserve:sku=str,qty=int")
    report = regenerate(project)
    assert statuses(report)["stock"] == "up to date"  # new_feature wrote it all already
    assert "stock" in (project / "src/shop/registry.py").read_text()
    shutil.rmtree(project / "src/shop/features/stock")
    report = regenerate(project)
    assert "stock" not in (project / "src/shop/registry.py").read_text()
    assert "stock" not in load_manifest(project).features


def test_outside_a_project_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not inside a petrock project"):
        regenerate(tmp_path)


def test_big_feature_names_with_dashes(project: Path) -> None:
    add_feature(project, "order-lines", "add-line:sku=str")
    report = regenerate(project, ["order-lines"])
    assert [f.name for f in regenerate(project, ["OrderLines"]).features][:1] == ["order_lines"]
    assert next(f.name for f in report.features) == "order_lines"


def test_a_fresh_clone_regenerates_with_the_committed_baselines(
    project: Path, templates: TemplateEdit, tmp_path: Path
) -> None:
    import os
    import subprocess

    worker = project / BILLING / "worker.py"
    worker.write_text(worker.read_text().replace('"""\n\nfrom', '"""\n\n# mine\n\nfrom', 1))
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@localhost"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@localhost"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "project"]):
        subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(project), str(clone)], check=True, env=env)
    templates(
        "worker.py.jinja", lambda t: t.replace("    return worker\n", "    return worker  # v2\n")
    )
    report = regenerate(clone)
    assert report.exit_code == 0
    text = (clone / BILLING / "worker.py").read_text()
    assert "# mine\n" in text and "return worker  # v2\n" in text
    assert next(f for f in report.features if f.name == "billing").counts.get("merge") == 1


def test_added_stubs_and_imports_keep_the_project_ruff_clean(project: Path) -> None:
    import subprocess
    import sys

    from petrock_gen.generate import Options, new_command

    new_command(
        project,
        "billing/adjust",
        ["price=decimal", "at=datetime?"],
        options=Options(allow_dirty=True),
    )
    spec = project / "src/shop/features/mail/feature.toml"
    text = spec.read_text().replace('handles = ["send"]', 'handles = ["send", "bounce"]')
    spec.write_text(
        text
        + '\n[[commands]]\nname = "bounce"\ndescription = ""\nfields = [{ name = "on", type = "date" }]\n'
    )
    assert regenerate(project).exit_code == 0
    for args in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args, "--no-cache", "src", "tests"],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout

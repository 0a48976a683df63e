"""`petrock new ...` through the real CLI entry point: exit codes, wording, what is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from petrock_gen.cli import main

from .conftest import git, snapshot


def run(
    capsys: pytest.CaptureFixture[str], *args: str, cwd: Path | None = None
) -> tuple[int, str, str]:
    """Run `petrock ARGS` in `cwd`; return (exit code, stdout, stderr)."""
    import os

    before = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        with pytest.raises(SystemExit) as done:
            main(list(args))
    finally:
        os.chdir(before)
    out = capsys.readouterr()
    code = done.value.code
    return (code if isinstance(code, int) else 0), out.out, out.err


def test_first_steps_create_project_and_feature(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "new", "project", "shop", "--path", str(tmp_path), "--no-git")
    assert code == 0
    assert "created project shop in" in err
    root = tmp_path / "shop"
    spec = "charge:invoice_id=str,amount_cents=int"
    code, out, err = run(capsys, "new", "feature", "billing", "--command", spec, cwd=root)
    assert (code, out) == (0, "")
    assert "create  src/shop/features/billing/handlers.py" in err
    assert "update  src/shop/registry.py" in err
    assert err.rstrip().endswith("added feature billing")
    assert "from shop.features import billing" in (root / "src/shop/registry.py").read_text()


def test_dry_run_prints_the_plan_on_stdout_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], project_root: Path
) -> None:
    before = snapshot(project_root)
    code, out, _ = run(
        capsys, "new", "feature", "billing", "-c", "charge", "--dry-run", cwd=project_root
    )
    assert code == 0
    assert "create  src/shop/features/billing/commands.py" in out
    assert "would add feature billing (dry run: nothing written)" in out
    assert snapshot(project_root) == before


@pytest.mark.parametrize(
    ("args", "wording"),
    [
        (["feature", "class"], "invalid feature name 'class': 'class' is a Python keyword"),
        (["feature", "json"], "invalid feature name 'json': 'json' would shadow"),
        (["feature", "../evil"], "cannot contain path separators or '..'"),
        (["feature", "bill/ing"], "cannot contain path separators or '..'"),
        (["feature", "9lives"], "invalid feature name '9lives'"),
        (
            ["feature", "billing", "-c", "charge:amount=intt"],
            "unknown type 'intt' in field 'amount=intt'",
        ),
        (
            ["feature", "billing", "-c", "charge:amount"],
            "malformed field 'amount' in SPEC 'charge:amount'",
        ),
        (["feature", "billing", "-c", "charge", "-c", "charge"], "command 'charge' is given twice"),
        (["feature", "billing", "-w", "billing"], "worker 'billing' is given twice"),
        (["feature", "billing", "--description", 'say "hi"'], "invalid description"),
        (["feature", "billing", "-c", "billing_state"], "would both use the name 'BillingState'"),
        (["command", "billing"], "invalid command 'billing': expected FEATURE/NAME"),
        (["command", "nope/refund"], "no feature 'nope' in this project"),
        (["worker", "nope/mailer"], "no feature 'nope' in this project"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_nothing_written(
    capsys: pytest.CaptureFixture[str], project_root: Path, args: list[str], wording: str
) -> None:
    before = snapshot(project_root)
    code, out, err = run(capsys, "new", *args, cwd=project_root)
    assert code == 1
    assert out == ""
    assert err.startswith("error: ")
    assert wording in err
    assert "(hint: " in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(project_root) == before


def test_existing_feature_command_and_worker_are_refused(
    capsys: pytest.CaptureFixture[str], project_root: Path
) -> None:
    assert run(capsys, "new", "feature", "billing", "-c", "charge", cwd=project_root)[0] == 0
    before = snapshot(project_root)
    for args, wording in [
        (["feature", "billing"], "feature 'billing' already exists"),
        (["command", "billing/charge"], "command 'charge' already exists in feature 'billing'"),
        (["worker", "billing/billing"], "worker 'billing' already exists in feature 'billing'"),
        (["command", "billing/refund", "-w", "mailer"], "feature 'billing' has no worker 'mailer'"),
        (["worker", "billing/mailer", "--handles", "refund"], "has no command 'refund'"),
    ]:
        code, _, err = run(capsys, "new", *args, cwd=project_root)
        assert (code, wording in err) == (1, True), err
    assert snapshot(project_root) == before


def test_outside_a_project(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "new", "feature", "billing", cwd=tmp_path)
    assert code == 1
    assert "not inside a petrock project" in err
    assert "petrock new project NAME" in err
    assert list(tmp_path.iterdir()) == []


def test_dirty_tree_is_refused_unless_allowed(
    capsys: pytest.CaptureFixture[str], git_project_root: Path
) -> None:
    root = git_project_root
    (root / "notes.txt").write_text("wip\n")
    (root / "README.md").write_text("edited\n")
    code, _, err = run(capsys, "new", "feature", "billing", cwd=root)
    assert code == 1
    assert "has uncommitted changes: README.md, notes.txt" in err
    assert "--allow-dirty" in err
    assert not (root / "src/shop/features/billing").exists()
    assert run(capsys, "new", "feature", "billing", "--allow-dirty", cwd=root)[0] == 0
    assert (root / "src/shop/features/billing/feature.toml").is_file()


def test_commit_commits_what_was_written(
    capsys: pytest.CaptureFixture[str], git_project_root: Path
) -> None:
    root = git_project_root
    code, _, err = run(capsys, "new", "feature", "billing", "-c", "charge", "--commit", cwd=root)
    assert code == 0
    assert "added feature billing and committed" in err
    assert git(root, "status", "--porcelain") == ""
    assert "petrock: add feature billing" in git(root, "log", "--oneline")


def test_new_command_and_worker_extend_without_touching_user_lines(
    capsys: pytest.CaptureFixture[str], project_root: Path
) -> None:
    root = project_root
    assert run(capsys, "new", "feature", "billing", "-c", "charge:amount=int", cwd=root)[0] == 0
    handlers = root / "src/shop/features/billing/handlers.py"
    mine = handlers.read_text().replace(
        "    if ctx.is_replay:\n        return\n",
        "    print('my line')  # keep me\n    if ctx.is_replay:\n        return\n",
        1,
    )
    handlers.write_text(mine)
    code, _, err = run(capsys, "new", "command", "billing/refund", "reason:str?", cwd=root)
    assert code == 0, err
    assert "added command billing/refund" in err
    text = handlers.read_text()
    assert text.startswith(
        mine.split("def handle_charge")[0].replace("Charge\n", "Charge, Refund\n")
    )
    assert "    print('my line')  # keep me\n" in text
    assert "def handle_refund(ctx: WorkerContext[BillingState], cmd: Refund, msg: Message)" in text
    code, _, err = run(capsys, "new", "worker", "billing/mailer", "--handles", "refund", cwd=root)
    assert code == 0, err
    text = handlers.read_text()
    assert "    print('my line')  # keep me\n" in text
    assert "def mailer_handle_refund(" in text
    assert "def mailer_handle_charge(" not in text
    toml = (root / "src/shop/features/billing/feature.toml").read_text()
    assert 'name = "mailer"\ndescription = ""\nhandles = ["refund"]' in toml


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], project_root: Path) -> None:
    code, _, err = run(capsys, "new", "feature", cwd=project_root)
    assert code == 2
    assert "Missing argument" in err


def test_help_documents_the_spec_grammar(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "new", "feature", "--help")
    assert code == 0
    assert "charge:invoice_id=str,amount_cents=int" in out
    assert "list[TYPE]" in out
    assert "Decimal" in out


def test_unwritable_target_writes_nothing(
    capsys: pytest.CaptureFixture[str], project_root: Path
) -> None:
    # A file where the tests folder of features must go: no permission trick works as root.
    (project_root / "tests/features").write_text("in the way\n")
    before = snapshot(project_root)
    code, _, err = run(capsys, "new", "feature", "billing", "-c", "charge", cwd=project_root)
    assert code == 1
    assert "cannot write" in err
    assert "nothing was written" in err
    assert snapshot(project_root) == before


def test_a_failed_write_leaves_no_file_and_the_registry_untouched(
    capsys: pytest.CaptureFixture[str], project_root: Path
) -> None:
    # The baselines folder of the test module is a file: staging fails after other temp files.
    (project_root / ".petrock/baselines/tests").write_text("in the way\n")
    before = snapshot(project_root)
    code, _, err = run(capsys, "new", "feature", "billing", "-c", "charge", cwd=project_root)
    assert code == 1
    assert "could not write" in err
    assert "nothing was written" in err
    assert snapshot(project_root) == before


def test_new_project_refuses_an_existing_folder_and_bad_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop/keep.txt").write_text("mine\n")
    code, _, err = run(capsys, "new", "project", "shop", "--path", str(tmp_path), "--no-git")
    assert code == 1
    assert "already exists and is not empty" in err
    code, _, err = run(capsys, "new", "project", "json", "--path", str(tmp_path), "--no-git")
    assert (code, "would shadow" in err) == (1, True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop"]


def _interrupt_on(monkeypatch: pytest.MonkeyPatch, name: str, nth: int) -> list[str]:
    """Make the `nth` call of `os.<name>` on a petrock temporary file raise KeyboardInterrupt."""
    import os

    real = getattr(os, name)
    seen: list[str] = []

    def interrupted(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith(".petrock-tmp"):
            seen.append(str(path))
            if len(seen) == nth:
                raise KeyboardInterrupt
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, name, interrupted)
    return seen


def test_interrupted_while_writing_leaves_nothing(
    capsys: pytest.CaptureFixture[str], project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(project_root)
    with monkeypatch.context() as patch:
        seen = _interrupt_on(patch, "open", 5)
        code, _, err = run(capsys, "new", "feature", "billing", "-c", "charge", cwd=project_root)
    assert len(seen) == 5
    assert code == 130
    assert err.strip() == "error: interrupted"
    assert snapshot(project_root) == before
    assert run(capsys, "new", "feature", "billing", "-c", "charge", cwd=project_root)[0] == 0


def test_interrupted_while_renaming_never_registers_a_half_written_feature(
    capsys: pytest.CaptureFixture[str], project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = (project_root / "src/shop/registry.py").read_bytes()
    with monkeypatch.context() as patch:
        seen = _interrupt_on(patch, "replace", 4)
        code, _, _ = run(capsys, "new", "feature", "billing", "-c", "charge", cwd=project_root)
    assert len(seen) == 4
    assert code == 130
    assert (project_root / "src/shop/registry.py").read_bytes() == registry
    feature = project_root / "src/shop/features/billing"
    written = sorted(p.name for p in feature.iterdir() if not p.name.endswith(".petrock-tmp"))
    assert written == ["__init__.py", "commands.py", "feature.toml"]


def test_new_project_dry_run_lists_files_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "new", "project", "my-shop", "--path", str(tmp_path), "--dry-run")
    assert code == 0
    assert "create  src/my_shop/app.py" in out
    assert "create  src/my_shop/registry.py" in out
    assert "would create project my-shop (dry run: nothing written)" in out
    assert list(tmp_path.iterdir()) == []


def test_new_project_with_git_makes_the_first_commit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .conftest import GIT_ENV

    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    code, _, err = run(
        capsys, "new", "project", "shop", "--path", str(tmp_path), "--package", "store"
    )
    assert code == 0
    assert "(git: first commit made)" in err
    assert "next: cd shop && petrock new feature NAME --command SPEC && pytest" in err
    root = tmp_path / "shop"
    assert git(root, "status", "--porcelain") == ""
    assert (root / "src/store/registry.py").is_file()
    assert 'package = "store"' in (root / "pyproject.toml").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["shop"]


def test_json_gives_the_plan_to_tools(
    capsys: pytest.CaptureFixture[str], project_root: Path
) -> None:
    import json

    code, out, _ = run(capsys, "new", "feature", "billing", "--dry-run", "--json", cwd=project_root)
    assert code == 0
    outcome = json.loads(out)
    assert (outcome["summary"], outcome["applied"]) == ("would add feature billing", False)
    assert {"path": "src/shop/registry.py", "status": "update", "detail": ""} in outcome["files"]
    assert not (project_root / "src/shop/features/billing").exists()

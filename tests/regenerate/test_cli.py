"""`petrock regenerate` and `petrock inspect` through the CLI entry point: exit codes and wording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from regen_kit import TemplateEdit, tree

from petrock_gen.cli import main

BILLING = "src/shop/features/billing"


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")


def run(*args: str) -> int:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    code = done.value.code
    assert isinstance(code, int)
    return code


def test_regenerate_prints_a_summary_per_feature(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("regenerate", "--path", str(project)) == 0
    err = capsys.readouterr().err
    assert "billing" in err and "mail" in err
    assert "2 features: 2 up to date" in err
    assert run("regenerate", "--path", str(project)) == 0
    assert capsys.readouterr().err.strip().endswith("2 features: 2 up to date")


def test_check_exits_1_when_out_of_date_and_writes_nothing(
    project: Path, templates: TemplateEdit, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("regenerate", "--check", "--path", str(project)) == 0
    templates("commands.py.jinja", lambda t: t + "# v2\n")
    before = tree(project)
    assert run("regenerate", "--check", "--path", str(project)) == 1
    err = capsys.readouterr().err
    assert "out of date" in err
    assert tree(project) == before


def test_diff_prints_the_diff_on_stdout(
    project: Path, templates: TemplateEdit, capsys: pytest.CaptureFixture[str]
) -> None:
    run("regenerate", "--path", str(project))
    capsys.readouterr()
    templates("commands.py.jinja", lambda t: t + "# v2\n")
    assert run("regenerate", "--diff", "--path", str(project)) == 0
    out = capsys.readouterr().out
    assert f"--- a/{BILLING}/commands.py\n+++ b/{BILLING}/commands.py\n" in out
    assert "+# v2\n" in out
    assert not (project / BILLING / "commands.py").read_text().endswith("# v2\n")


def test_dry_run_prints_a_status_word_per_file(
    project: Path, templates: TemplateEdit, capsys: pytest.CaptureFixture[str]
) -> None:
    templates("commands.py.jinja", lambda t: t + "# v2\n")
    assert run("regenerate", "--dry-run", "--path", str(project)) == 0
    err = capsys.readouterr().err
    assert f"update     {BILLING}/commands.py" in err
    assert f"identical  {BILLING}/worker.py" in err
    assert not (project / BILLING / "commands.py").read_text().endswith("# v2\n")


def test_conflict_exits_1_and_names_the_file(
    project: Path, templates: TemplateEdit, capsys: pytest.CaptureFixture[str]
) -> None:
    commands = project / BILLING / "commands.py"
    commands.write_text(commands.read_text() + "# mine\n")
    templates("commands.py.jinja", lambda t: t + "# v2\n")
    assert run("regenerate", "--path", str(project)) == 1
    err = capsys.readouterr().err
    assert f"conflict: {BILLING}/commands.py" in err
    assert "1 conflict: resolve the markers" in err
    assert "then run `petrock regenerate` again" in err


def test_corrupt_spec_is_one_line_naming_file_and_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = project / BILLING / "feature.toml"
    spec.write_text(spec.read_text().replace('name = "charge"', 'name = "charge'))
    assert run("regenerate", "--path", str(project)) == 1
    err = capsys.readouterr().err
    line = next(i for i, t in enumerate(spec.read_text().splitlines(), 1) if '"charge' in t)
    assert err.startswith("error: ")
    assert f"feature.toml:{line}:" in err
    assert "Traceback" not in err


def test_unknown_feature_and_usage_errors(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("regenerate", "nope", "--path", str(project)) == 1
    assert "no feature named 'nope'" in capsys.readouterr().err
    assert run("regenerate", "--check", "--diff", "--path", str(project)) == 2
    assert "choose one of --check, --diff and --dry-run" in capsys.readouterr().err


def test_empty_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from regen_kit import make_project

    root = make_project(tmp_path / "shop")
    assert run("regenerate", "--path", str(root)) == 0
    assert "no features yet; registry updated" in capsys.readouterr().err
    assert (root / "src/shop/registry.py").is_file()


def test_outside_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("regenerate", "--path", str(tmp_path)) == 1
    assert run("inspect", "--path", str(tmp_path)) == 1
    assert "not inside a petrock project" in capsys.readouterr().err


def test_inspect_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("inspect", "--json", "--path", str(project)) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["package"] == "shop"
    billing, mail = data["features"]
    assert billing["name"] == "billing" and mail["name"] == "mail"
    assert [c["name"] for c in billing["commands"]] == ["charge", "refund"]
    assert billing["commands"][0]["fields"] == [
        {"name": "invoice_id", "type": "str", "default": None},
        {"name": "amount_cents", "type": "int", "default": None},
    ]
    assert billing["workers"] == [
        {"name": "billing", "handles": ["charge", "refund"], "periodic_every": 5.0}
    ]
    assert mail["workers"][0]["periodic_every"] is None
    assert mail["commands"][0]["fields"][1] == {"name": "subject", "type": "str?", "default": None}
    assert billing["up_to_date"] is True and data["registry_up_to_date"] is True
    assert billing["template_version"] is None  # written by `new feature`, never regenerated
    run("regenerate", "--path", str(project))
    capsys.readouterr()
    run("inspect", "--json", "--path", str(project))
    data = json.loads(capsys.readouterr().out)
    assert data["features"][0]["template_version"] == data["template_version"]
    spec = project / BILLING / "feature.toml"
    spec.write_text(spec.read_text().replace('description = "Charges', 'description = "Bills'))
    spec.write_text(
        spec.read_text().replace('name = "refund"', 'name = "void"').replace('"refund"]', '"void"]')
    )
    run("inspect", "--json", "--path", str(project))
    data = json.loads(capsys.readouterr().out)
    assert [f["up_to_date"] for f in data["features"]] == [False, True]
    assert data["registry_up_to_date"] is True


def test_inspect_table(
    project: Path, templates: TemplateEdit, capsys: pytest.CaptureFixture[str]
) -> None:
    run("regenerate", "--path", str(project))
    capsys.readouterr()
    assert run("inspect", "--path", str(project)) == 0
    out = capsys.readouterr().out
    assert "charge(invoice_id: str, amount_cents: int)" in out
    assert "every 5.0s" in out
    assert "out of date" not in out
    templates("commands.py.jinja", lambda t: t + "# v2\n")
    run("inspect", "--path", str(project))
    assert "out of date: billing, mail" in capsys.readouterr().out


def test_progress_bar_draws_on_a_terminal_only(project: Path, templates: TemplateEdit) -> None:
    import io

    from rich.console import Console

    from petrock_gen.cli._regenerate import _ProgressBar
    from petrock_gen.regenerate import regenerate

    templates("commands.py.jinja", lambda t: t + "# v2\n")
    screen = io.StringIO()
    with _ProgressBar(Console(file=screen, force_terminal=True, width=100)) as bar:
        regenerate(project, mode="check", progress=bar)
        assert bar._progress is not None
        assert bar._progress.tasks[0].completed == 2
    assert "mail" in screen.getvalue() or "billing" in screen.getvalue()
    quiet = io.StringIO()
    with _ProgressBar(Console(file=quiet, force_terminal=False)) as bar:
        regenerate(project, mode="check", progress=bar)
        assert bar._progress is None
    assert quiet.getvalue() == ""

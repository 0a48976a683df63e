"""`petrock migrate-worker` through `petrock_gen.cli.main`: exit codes, --diff/--check/--json,
walking with .gitignore, files skipped before parsing, unparsable files, atomic writes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from petrock_gen.cli import main
from petrock_gen.migrate._files import write_atomically

from ._where import CASES

MIGRATES = CASES / "for_loop" / "basic" / "before.py"
PARTIAL = CASES / "if_chain" / "control_flow" / "before.py"
REFUSED = CASES / "for_loop" / "generator_refused" / "before.py"
MATCH = CASES / "match_dispatch" / "or_default" / "before.py"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(["migrate-worker", *args])
    out, err = capsys.readouterr()
    code = done.value.code
    return (code if isinstance(code, int) else 1), out, err


def project(tmp_path: Path, **files: Path | str) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    # ruff finds the project's settings from the migrated file's path
    (root / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n", encoding="utf-8")
    for name, content in files.items():
        target = root / f"{name}.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copy(content, target)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def test_migrates_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, worker=MIGRATES, plain="x = 1\n")
    code, out, err = run([str(root)], capsys)
    assert code == 0
    assert out == ""
    assert f"Rewriting {root / 'worker.py'}" in err
    assert "migrated" in err and "skipped before parsing" in err
    expected = MIGRATES.with_name("after.py").read_text(encoding="utf-8")
    assert (root / "worker.py").read_text(encoding="utf-8") == expected
    assert run([str(root)], capsys)[0] == 0  # idempotent: nothing left to do


@pytest.mark.parametrize("case", [PARTIAL, REFUSED], ids=["partial", "refused"])
def test_needs_a_human_exits_1(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, worker=case)
    code, _, err = run([str(root)], capsys)
    assert code == 1
    assert f"{root / 'worker.py'}:" in err  # file:line of what needs a human


def test_diff_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, worker=MIGRATES)
    before = (root / "worker.py").read_bytes()
    code, out, err = run(["--diff", str(root)], capsys)
    assert code == 0
    assert out.startswith(f"--- {root / 'worker.py'}\n+++ ")
    assert "+def build_worker(state: TotalsWorker)" in out
    assert "Would rewrite" in err
    assert (root / "worker.py").read_bytes() == before


def test_check_exits_1_on_change_and_0_when_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, worker=MIGRATES)
    before = (root / "worker.py").read_bytes()
    assert run(["--check", str(root)], capsys)[0] == 1
    assert (root / "worker.py").read_bytes() == before
    (root / "worker.py").write_text(MIGRATES.with_name("after.py").read_text(encoding="utf-8"))
    assert run(["--check", str(root)], capsys)[0] == 0


def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, a=MIGRATES, b=REFUSED, c="print('no worker here')\n")
    code, out, _ = run(["--json", "--check", str(root)], capsys)
    report = json.loads(out)
    assert code == 1
    assert report["exit_code"] == 1
    assert report["summary"] == {
        "migrated": 1,
        "partial": 0,
        "refused": 1,
        "unchanged": 0,
        "failed": 0,
    }
    by_path = {Path(f["path"]).name: f for f in report["files"]}
    assert by_path["a.py"]["status"] == "changed"
    assert by_path["c.py"] == {
        "path": str(root / "c.py"),
        "status": "skipped",
        "reason": "cannot contain an old-style worker",
        "classes": [],
    }
    (refused,) = by_path["b.py"]["classes"]
    assert refused["outcome"] == "refused"
    assert refused["findings"][0]["line"] == 20


def test_unparsable_file_is_reported_not_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = "class Broken:\n    def work(self):\n        for msg in (:\n"
    root = project(tmp_path, broken=broken, good=MIGRATES)
    code, out, err = run(["--json", str(root)], capsys)
    assert code == 1
    (failed,) = [f for f in json.loads(out)["files"] if f["status"] == "failed"]
    assert failed["reason"].startswith("does not parse: line 3")
    assert f"{root / 'broken.py'}: failed: does not parse: line 3" in err
    assert (root / "broken.py").read_text(encoding="utf-8") == broken
    assert "build_worker" in (root / "good.py").read_text(encoding="utf-8")


def test_gitignore_is_respected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, kept=MIGRATES, **{"build/ignored": MIGRATES, "gen_x": MIGRATES})
    (root / ".git").mkdir()
    (root / ".gitignore").write_text("build/\ngen_*.py\n", encoding="utf-8")
    _, out, _ = run(["--json", "--check", str(root)], capsys)
    assert [Path(f["path"]).name for f in json.loads(out)["files"]] == ["kept.py"]


def test_explicit_file_is_always_migrated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, gen_x=MIGRATES)
    (root / ".gitignore").write_text("gen_*.py\n", encoding="utf-8")
    _, out, _ = run(["--json", "--check", str(root / "gen_x.py")], capsys)
    assert len(json.loads(out)["files"]) == 1


def test_only_and_skip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, chain=MIGRATES, match=MATCH)
    _, out, _ = run(["--json", "--check", "--skip", "match_dispatch", str(root)], capsys)
    status = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert status["chain.py"]["status"] == "changed"
    assert status["match.py"]["status"] == "unchanged"
    note = status["match.py"]["classes"][0]["findings"][0]["message"]
    assert "match_dispatch" in note
    _, out, _ = run(
        ["--json", "--check", "--only", "for_loop", "--only", "match_dispatch", str(root)], capsys
    )
    status = {Path(f["path"]).name: f["status"] for f in json.loads(out)["files"]}
    assert status == {"chain.py": "unchanged", "match.py": "changed"}


def test_jobs_2_gives_the_same_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, a=MIGRATES, b=PARTIAL, c=REFUSED, d=MATCH)
    one = run(["--json", "--check", str(root)], capsys)
    two = run(["--json", "--check", "--jobs", "2", str(root)], capsys)
    assert one[0] == two[0] == 1
    assert json.loads(one[1]) == json.loads(two[1])


@pytest.mark.parametrize(
    "args",
    [["--jobs", "0", "."], ["--only", "nope", "."], ["does/not/exist"], []],
    ids=["jobs", "pattern", "path", "no-path"],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(args, capsys)
    assert code == 2
    assert err.strip()


def test_atomic_write_leaves_everything_as_it_was_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text("old a\n")
    second.write_text("old b\n")
    real = os.fdopen
    calls = []

    def failing(fd: int, *args: object, **kwargs: object) -> object:
        calls.append(fd)
        if len(calls) == 2:
            os.close(fd)
            raise OSError("disk full")
        return real(fd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "fdopen", failing)
    with pytest.raises(OSError, match="disk full"):
        write_atomically([(first, "new a\n"), (second, "new b\n")])
    assert first.read_text() == "old a\n" and second.read_text() == "old b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.py"]


def test_crlf_and_mode_are_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    target = root / "worker.py"
    target.write_bytes(MIGRATES.read_bytes().replace(b"\n", b"\r\n"))
    target.chmod(0o640)
    assert run([str(root)], capsys)[0] == 0
    data = target.read_bytes()
    assert b"build_worker" in data and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert target.stat().st_mode & 0o777 == 0o640


def test_same_file_twice_is_migrated_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, worker=MIGRATES)
    _, out, _ = run(["--json", "--check", str(root), str(root / "worker.py")], capsys)
    assert len(json.loads(out)["files"]) == 1

"""plan_files and Plan.apply against real project folders on disk."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rich.console import Console

from petrock_gen.errors import UserError
from petrock_gen.files import (
    BASELINES_DIR,
    MANIFEST_PATH,
    FeatureRecord,
    RenderedFile,
    load_manifest,
    plan_files,
    read_baseline,
)

V1 = "one\ntwo\nthree\nfour\nfive\n"
V2 = "one\ntwo\nthree\nfour\nFIVE\n"


def gen(path: str, content: str) -> RenderedFile:
    return RenderedFile(path, content, "generated")


def apply(root: Path, *files: RenderedFile) -> dict[str, str]:
    plan = plan_files(root, files)
    plan.apply()
    return {a.path: a.status for a in plan.actions}


def statuses(root: Path, *files: RenderedFile) -> dict[str, str]:
    return {a.path: a.status for a in plan_files(root, files).actions}


def test_create_then_identical_writes_baseline_and_manifest(tmp_path: Path) -> None:
    assert apply(tmp_path, gen("pkg/a.py", V1)) == {"pkg/a.py": "create"}
    assert (tmp_path / "pkg/a.py").read_text() == V1
    assert read_baseline(tmp_path, "pkg/a.py") == V1
    manifest = json.loads((tmp_path / MANIFEST_PATH).read_text())
    assert manifest["files"]["pkg/a.py"]["kind"] == "generated"
    assert statuses(tmp_path, gen("pkg/a.py", V1)) == {"pkg/a.py": "identical"}


def test_unedited_file_is_updated(tmp_path: Path) -> None:
    apply(tmp_path, gen("a.py", V1))
    assert apply(tmp_path, gen("a.py", V2)) == {"a.py": "update"}
    assert (tmp_path / "a.py").read_text() == V2
    assert read_baseline(tmp_path, "a.py") == V2


def test_edited_file_is_merged(tmp_path: Path) -> None:
    apply(tmp_path, gen("a.py", V1))
    (tmp_path / "a.py").write_text(V1.replace("one", "ONE (mine)"))
    assert apply(tmp_path, gen("a.py", V2)) == {"a.py": "merge"}
    assert (tmp_path / "a.py").read_text() == "ONE (mine)\ntwo\nthree\nfour\nFIVE\n"
    assert read_baseline(tmp_path, "a.py") == V2


def test_true_conflict_gets_markers_and_is_refused_next_time(tmp_path: Path) -> None:
    apply(tmp_path, gen("a.py", V1))
    (tmp_path / "a.py").write_text(V1.replace("five", "mine"))
    plan = plan_files(tmp_path, [gen("a.py", V2)])
    assert plan.has_conflicts()
    [action] = plan.actions
    assert (action.status, action.conflicts, action.detail) == (
        "conflict",
        1,
        "1 conflict: resolve the markers",
    )
    plan.apply()
    text = (tmp_path / "a.py").read_text()
    assert "<<<<<<< yours\nmine\n||||||| baseline\nfive\n=======\nFIVE\n>>>>>>> petrock\n" in text
    again = plan_files(tmp_path, [gen("a.py", V2)])
    [refused] = again.actions
    assert refused.status == "conflict" and refused.content is None
    assert "conflict markers" in refused.detail
    assert again.has_conflicts()


def test_deleted_generated_file_stays_deleted(tmp_path: Path) -> None:
    apply(tmp_path, gen("a.py", V1))
    (tmp_path / "a.py").unlink()
    plan = plan_files(tmp_path, [gen("a.py", V2)])
    [action] = plan.actions
    assert (action.status, action.content) == ("deleted", None)
    plan.apply()
    assert not (tmp_path / "a.py").exists()
    assert read_baseline(tmp_path, "a.py") == V1  # kept: a restored file merges correctly


def test_missing_baseline_merges_against_empty_base_never_overwrites(tmp_path: Path) -> None:
    apply(tmp_path, gen("a.py", V1))
    (tmp_path / MANIFEST_PATH).unlink()
    (tmp_path / BASELINES_DIR / "a.py").unlink()
    (tmp_path / "a.py").write_text(V1 + "mine = 1\n")
    plan = plan_files(tmp_path, [gen("a.py", V2)])
    [action] = plan.actions
    assert action.status == "conflict"
    assert action.detail.startswith("no baseline: merged against an empty base")
    assert action.content is not None and "mine = 1\n" in action.content
    assert action.content.startswith("one\ntwo\nthree\nfour\n<<<<<<< yours\n")


def test_missing_baseline_and_identical_file_only_records_baseline(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(V1)
    plan = plan_files(tmp_path, [gen("a.py", V1)])
    assert [a.status for a in plan.actions] == ["identical"]
    plan.apply()
    assert read_baseline(tmp_path, "a.py") == V1


def test_user_file_created_once_then_extended(tmp_path: Path) -> None:
    render1 = "def handle_a() -> None:\n    pass\n"
    render2 = render1 + "\n\ndef handle_b() -> None:\n    pass\n"
    user = RenderedFile("h.py", render1, "user")
    assert apply(tmp_path, user) == {"h.py": "create"}
    (tmp_path / "h.py").write_text("def handle_a() -> None:\n    print('mine')\n")
    assert apply(tmp_path, RenderedFile("h.py", render1, "user")) == {"h.py": "skip"}
    plan = plan_files(tmp_path, [RenderedFile("h.py", render2, "user")])
    [action] = plan.actions
    assert (action.status, action.detail) == ("merge", "added handle_b")
    plan.apply()
    assert (tmp_path / "h.py").read_text() == (
        "def handle_a() -> None:\n    print('mine')\n\n\ndef handle_b() -> None:\n    pass\n"
    )
    render3 = "def handle_b() -> None:\n    pass\n"
    [orphan] = plan_files(tmp_path, [RenderedFile("h.py", render3, "user")]).actions
    assert orphan.status == "skip" and orphan.orphaned == ("handle_a",)
    assert "orphaned: handle_a" in orphan.detail


def test_user_file_that_does_not_parse_is_a_conflict_without_write(tmp_path: Path) -> None:
    apply(tmp_path, RenderedFile("h.py", "x = 1\n", "user"))
    (tmp_path / "h.py").write_text("x = (\n")
    [action] = plan_files(tmp_path, [RenderedFile("h.py", "x = 1\ny = 2\n", "user")]).actions
    assert action.status == "conflict" and action.content is None
    assert "not valid Python (line 1)" in action.detail


def test_noop_run_writes_nothing(tmp_path: Path) -> None:
    files = [gen("a.py", V1), RenderedFile("b.py", "x = 1\n", "user")]
    apply(tmp_path, *files)
    stamps = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    plan = plan_files(tmp_path, files)
    assert plan.changes() == []
    plan.apply()
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()} == stamps


def test_paths_are_checked(tmp_path: Path) -> None:
    for bad in ("/etc/passwd", "../x.py", "a/../../x.py", ".petrock/manifest.json", ""):
        with pytest.raises(ValueError):
            plan_files(tmp_path, [gen(bad, "x")])
    with pytest.raises(ValueError, match="twice"):
        plan_files(tmp_path, [gen("a.py", "x"), gen("a.py", "y")])


def test_feature_records_are_stored(tmp_path: Path) -> None:
    plan = plan_files(tmp_path, [gen("a.py", V1)])
    plan.features["billing"] = FeatureRecord("0.1.0+abc", "f" * 64, ("a.py",))
    plan.apply()
    assert load_manifest(tmp_path).features["billing"].files == ("a.py",)


def test_table_and_diff(tmp_path: Path) -> None:
    apply(tmp_path, gen("a.py", V1))
    plan = plan_files(tmp_path, [gen("a.py", V2), gen("b.py", "new\n")])
    console = Console(record=True, width=100)
    console.print(plan.to_table())
    text = console.export_text()
    assert "update" in text and "create" in text and "b.py" in text
    diff = plan.diff()
    assert "--- a/a.py\n+++ b/a.py\n" in diff and "-five\n+FIVE\n" in diff
    assert "--- /dev/null\n+++ b/b.py\n" in diff
    assert plan.counts() == {"create": 1, "update": 1}


def test_kept_file_mode(tmp_path: Path) -> None:
    apply(tmp_path, gen("run.sh", V1))
    os.chmod(tmp_path / "run.sh", 0o755)
    apply(tmp_path, gen("run.sh", V2))
    assert (tmp_path / "run.sh").stat().st_mode & 0o777 == 0o755


# --- atomicity ---------------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_failure_while_staging_changes_nothing(tmp_path: Path) -> None:
    apply(tmp_path, gen("a.py", V1), gen("b.py", V1))
    before = snapshot(tmp_path)
    plan = plan_files(tmp_path, [gen("a.py", V2), gen("b.py", V2), gen("c/d.py", V1)])
    (tmp_path / "c").write_text("a file where the folder should be\n")
    before["c"] = (tmp_path / "c").read_bytes()
    with pytest.raises(UserError, match="nothing was written"):
        plan.apply()
    assert snapshot(tmp_path) == before  # no temp file left, nothing renamed, baselines untouched


def test_failure_mid_rename_keeps_written_files_consistent(tmp_path: Path) -> None:
    apply(tmp_path, gen("a.py", V1), gen("b.py", V1), gen("c.py", V1))
    plan = plan_files(tmp_path, [gen("a.py", V2), gen("b.py", V2), gen("c.py", V2)])
    # b.py turns into a folder after planning: its rename fails in the middle of apply().
    (tmp_path / "b.py").unlink()
    (tmp_path / "b.py").mkdir()
    (tmp_path / "b.py" / "keep").write_text("x")
    with pytest.raises(UserError, match="1 file\\(s\\) were written before it"):
        plan.apply()
    assert (tmp_path / "a.py").read_text() == V2
    assert read_baseline(tmp_path, "a.py") == V2
    assert (tmp_path / "c.py").read_text() == V1  # never half-written: old content
    assert read_baseline(tmp_path, "c.py") == V1
    assert read_baseline(tmp_path, "b.py") == V1
    leftovers = [p for p in tmp_path.rglob("*petrock-tmp")]
    assert leftovers == []
    # The next run picks up where it stopped.
    (tmp_path / "b.py" / "keep").unlink()
    (tmp_path / "b.py").rmdir()
    result = apply(tmp_path, gen("a.py", V2), gen("b.py", V2), gen("c.py", V2))
    assert result == {"a.py": "identical", "b.py": "deleted", "c.py": "update"}


def test_baseline_that_does_not_match_the_manifest_is_not_trusted(tmp_path: Path) -> None:
    apply(tmp_path, gen("a.py", V1))
    (tmp_path / BASELINES_DIR / "a.py").write_text("tampered\n")
    (tmp_path / "a.py").write_text(V1 + "mine = 1\n")
    [action] = plan_files(tmp_path, [gen("a.py", V2)]).actions
    assert action.status == "conflict" and action.detail.startswith("no baseline")
    assert action.content is not None and "mine = 1\n" in action.content


def test_interrupt_mid_rename_leaves_no_temp_file_and_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from petrock_gen.files import _atomic

    apply(tmp_path, gen("a.py", V1), gen("b.py", V1), gen("c.py", V1))
    plan = plan_files(tmp_path, [gen("a.py", V2), gen("b.py", V2), gen("c.py", V2)])
    real = _atomic.os.replace
    calls: list[object] = []

    def interrupted(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(_atomic.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        plan.apply()
    monkeypatch.setattr(_atomic.os, "replace", real)
    assert list(tmp_path.rglob("*petrock-tmp")) == []
    assert [(tmp_path / p).read_text() for p in ("a.py", "b.py", "c.py")] == [V2, V1, V1]
    # The next run: a.py already has the new render (identical), the others are updated.
    assert apply(tmp_path, gen("a.py", V2), gen("b.py", V2), gen("c.py", V2)) == {
        "a.py": "identical",
        "b.py": "update",
        "c.py": "update",
    }
    assert read_baseline(tmp_path, "a.py") == V2


def test_run_interrupted_before_the_manifest_keeps_user_edits_without_conflicts(
    tmp_path: Path,
) -> None:
    apply(tmp_path, gen("a.py", V1))
    manifest_v1 = (tmp_path / MANIFEST_PATH).read_text()
    (tmp_path / "a.py").write_text("mine\n" + V1)
    apply(tmp_path, gen("a.py", V2))
    merged = (tmp_path / "a.py").read_text()
    assert merged == "mine\n" + V2
    # As if interrupted after the baselines were renamed, before the manifest was.
    (tmp_path / MANIFEST_PATH).write_text(manifest_v1)
    [action] = plan_files(tmp_path, [gen("a.py", V2)]).actions
    assert action.status == "identical"

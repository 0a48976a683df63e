"""Decide, file by file, what regeneration does: the status words of the plan."""

from __future__ import annotations

from pathlib import Path

from petrock_gen.files._merge import has_conflict_markers, merge3
from petrock_gen.files._store import FileRecord, baseline_path, read_baseline, sha256_text
from petrock_gen.files._structural import NotParseableError, extend_user_file
from petrock_gen.files._types import FileAction, RenderedFile

__all__ = ["decide", "read_current"]

_MARKERS_DETAIL = "has conflict markers from an earlier run: resolve them, then run again"


class _Unreadable(Exception):
    """The file on disk cannot be read as text."""


def read_current(path: Path) -> str | None:
    """The file's text, None when it does not exist; `_Unreadable` for a directory or non-UTF-8."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except IsADirectoryError as error:
        raise _Unreadable("is a directory, not a file") from error
    except UnicodeDecodeError as error:
        raise _Unreadable("is not UTF-8 text") from error


def decide(
    root: Path, file: RenderedFile, record: FileRecord | None
) -> tuple[FileAction, str | None]:
    """The action for `file` and the text on disk now (None when missing)."""
    try:
        current = read_current(root / file.path)
    except _Unreadable as error:
        return FileAction(file.path, "conflict", None, str(error)), None
    if current is None:
        known = record is not None or baseline_path(root, file.path).is_file()
        if known:
            return FileAction(file.path, "deleted", None, "you deleted it; it stays deleted"), None
        return FileAction(file.path, "create", file.content), None
    if has_conflict_markers(current):
        return FileAction(file.path, "conflict", None, _MARKERS_DETAIL), current
    if current == file.content:
        return FileAction(file.path, "identical", None), current
    if file.kind == "user":
        return _extend(root, file, current, record), current
    return _merge(root, file, current, record), current


def _merge(root: Path, file: RenderedFile, current: str, record: FileRecord | None) -> FileAction:
    if record is not None and sha256_text(current) == record.sha256:
        return FileAction(file.path, "update", file.content)
    base = read_baseline(root, file.path, record, file.content)
    note = ""
    if base is None:
        base, note = "", "no baseline: merged against an empty base; "
    elif base == current:
        return FileAction(file.path, "update", file.content)
    result = merge3(base, current, file.content)
    if result.conflicts:
        plural = "s" if result.conflicts > 1 else ""
        detail = f"{note}{result.conflicts} conflict{plural}: resolve the markers"
        return FileAction(file.path, "conflict", result.text, detail, conflicts=result.conflicts)
    if result.text == current:
        return FileAction(file.path, "identical", None, note + "your edits already have it")
    return FileAction(file.path, "merge", result.text, note + "merged with your edits")


def _extend(root: Path, file: RenderedFile, current: str, record: FileRecord | None) -> FileAction:
    if not file.path.endswith(".py"):
        return FileAction(file.path, "skip", None, "yours; not Python, left as it is")
    if record is not None and record.sha256 == sha256_text(file.content):
        return FileAction(file.path, "skip", None, "yours; the render brings nothing new")
    baseline = read_baseline(root, file.path, record, file.content)
    try:
        ext = extend_user_file(current, file.content, baseline)
    except NotParseableError as error:
        detail = f"not valid Python (line {error.line}): fix it, then run again"
        return FileAction(file.path, "conflict", None, detail)
    orphan_note = f"orphaned: {', '.join(ext.orphaned)}" if ext.orphaned else ""
    if ext.text is None:
        detail = "; ".join(d for d in ("yours; nothing to add", orphan_note) if d)
        return FileAction(file.path, "skip", None, detail, orphaned=ext.orphaned)
    added = f"added {', '.join(ext.added)}" if ext.added else ""
    imported = f"imports {', '.join(ext.imported)}" if ext.imported else ""
    detail = "; ".join(d for d in (added, imported, orphan_note) if d)
    return FileAction(file.path, "merge", ext.text, detail, orphaned=ext.orphaned)

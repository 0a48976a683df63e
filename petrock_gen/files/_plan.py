"""Plan the files of a render, then apply the plan atomically and record the baselines."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from petrock_gen.errors import UserError
from petrock_gen.files._atomic import Staged, discard, stage
from petrock_gen.files._decide import decide
from petrock_gen.files._store import (
    MANIFEST_PATH,
    FeatureRecord,
    FileRecord,
    Manifest,
    baseline_path,
    check_relative,
    load_manifest,
    sha256_text,
)
from petrock_gen.files._types import STATUSES, FileAction, RenderedFile

if TYPE_CHECKING:
    from rich.table import Table

__all__ = ["Plan", "plan_files"]

_STYLES = {
    "create": "green",
    "update": "cyan",
    "merge": "blue",
    "identical": "dim",
    "skip": "dim",
    "conflict": "bold red",
    "deleted": "yellow",
}
# Statuses after which the file on disk derives from the new render, so it becomes the baseline.
_RENDERED = frozenset({"create", "update", "merge", "identical", "skip"})


@dataclass(frozen=True)
class _Source:
    """What the plan knows about one file besides its action."""

    kind: str
    render: str
    before: str | None


@dataclass
class Plan:
    """The file actions of one render, in order; nothing is written until `apply()`.

    `features` holds per-feature records (template version, inputs hash) that `apply()` stores in
    the manifest once every file of the plan is written; `dropped_features` names records to
    remove (features that no longer exist).
    """

    root: Path
    actions: list[FileAction]
    features: dict[str, FeatureRecord] = field(default_factory=dict)
    dropped_features: set[str] = field(default_factory=set)
    _sources: dict[str, _Source] = field(default_factory=dict, repr=False)

    def has_conflicts(self) -> bool:
        """True when a file got conflict markers or was refused."""
        return any(a.status == "conflict" for a in self.actions)

    def changes(self) -> list[FileAction]:
        """The actions that write a file."""
        return [a for a in self.actions if a.content is not None]

    def counts(self) -> dict[str, int]:
        """How many files got each status (statuses with no file left out)."""
        counted = Counter(a.status for a in self.actions)
        return {status: counted[status] for status in STATUSES if counted[status]}

    def diff(self) -> str:
        """Unified diffs (a/ = on disk now, b/ = after apply) of every file the plan writes."""
        chunks: list[str] = []
        for action in self.changes():
            before = self._sources[action.path].before if action.path in self._sources else None
            assert action.content is not None
            chunks.extend(
                difflib.unified_diff(
                    (before or "").splitlines(keepends=True),
                    action.content.splitlines(keepends=True),
                    fromfile="/dev/null" if before is None else f"a/{action.path}",
                    tofile=f"b/{action.path}",
                )
            )
        return "".join(line if line.endswith("\n") else line + "\n" for line in chunks)

    def to_table(self) -> Table:
        """A rich table: one row per file with its status word and detail."""
        from rich.table import Table

        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("status", no_wrap=True)
        table.add_column("file", overflow="fold")
        table.add_column("detail", style="dim", overflow="fold")
        for action in self.actions:
            style = _STYLES[action.status]
            table.add_row(f"[{style}]{action.status}[/]", action.path, action.detail)
        return table

    def apply(self) -> None:
        """Write the plan: every temporary file first, then one rename per file.

        Baselines are updated for the files whose state now derives from the new render; the
        manifest is written last. On an error before the first rename nothing is changed; on an
        error during the renames, files already renamed keep their baselines and the rest of the
        temporary files are removed. OS errors become a `UserError` naming the file.
        """
        manifest = load_manifest(self.root)
        baselines = self._baseline_updates(manifest)
        writes = [(self.root / a.path, a.content) for a in self.changes() if a.content is not None]
        base_writes = [(baseline_path(self.root, p), self._sources[p].render) for p in baselines]
        try:
            staged = stage(writes)
        except OSError as error:
            raise _write_error(error, "nothing was written") from error
        try:
            staged_bases = stage(base_writes)
        except OSError as error:
            discard(staged)
            raise _write_error(error, "nothing was written") from error
        self._commit(manifest, staged, staged_bases, baselines)

    def _commit(
        self,
        manifest: Manifest,
        staged: list[Staged],
        staged_bases: list[Staged],
        baselines: list[str],
    ) -> None:
        written: set[str] = set()
        failure: OSError | None = None
        for index, item in enumerate(staged):
            try:
                item.commit()
            except OSError as error:
                discard(staged[index:])
                failure = error
                break
            except BaseException:  # Ctrl-C: drop the rest; the next run sees what was renamed
                discard(staged[index:])
                discard(staged_bases)
                raise
            written.add(item.target.relative_to(self.root).as_posix())
        failed = {a.path for a in self.changes()} - written
        for path, item in zip(baselines, staged_bases, strict=True):
            if path in failed:
                discard([item])
                continue
            item.commit()
            source = self._sources[path]
            manifest.files[path] = FileRecord(source.kind, sha256_text(source.render))
        if failure is None:
            manifest.features.update(self.features)
            for name in self.dropped_features:
                manifest.features.pop(name, None)
        _write_manifest(self.root, manifest)
        if failure is not None:
            raise _write_error(failure, f"{len(written)} file(s) were written before it")

    def _baseline_updates(self, manifest: Manifest) -> list[str]:
        """Paths whose baseline must become the new render (only those that differ now)."""
        paths: list[str] = []
        for action in self.actions:
            rendered = action.status in _RENDERED or (
                action.status == "conflict" and action.content is not None
            )
            if not rendered:
                continue
            source = self._sources[action.path]
            record = manifest.files.get(action.path)
            current = record is not None and record.sha256 == sha256_text(source.render)
            if (
                not current
                or record is None
                or record.kind != source.kind
                or not baseline_path(self.root, action.path).is_file()
            ):
                paths.append(action.path)
        return paths


def _write_manifest(root: Path, manifest: Manifest) -> None:
    text = manifest.to_json()
    path = root / MANIFEST_PATH
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except FileNotFoundError:
        pass
    for item in stage([(path, text)]):
        item.commit()


def _write_error(error: OSError, outcome: str) -> UserError:
    where = error.filename or "a file"
    return UserError(
        f"could not write {where}: {error.strerror or error}; {outcome}",
        hint="check the folder's permissions and free space, then run again",
    )


def plan_files(root: Path, files: Sequence[RenderedFile]) -> Plan:
    """Decide what to do with every rendered file; reads the project, writes nothing.

    Raises ValueError for a path that is absolute, climbs out of the project, or is listed twice.
    """
    manifest = load_manifest(root)
    seen: set[str] = set()
    actions: list[FileAction] = []
    sources: dict[str, _Source] = {}
    for file in files:
        check_relative(file.path)
        if file.path in seen:
            raise ValueError(f"{file.path!r} is rendered twice")
        seen.add(file.path)
        action, before = decide(root, file, manifest.files.get(file.path))
        actions.append(action)
        sources[file.path] = _Source(file.kind, file.content, before)
    return Plan(root=root, actions=actions, _sources=sources)

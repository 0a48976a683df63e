"""Running the migration over files: collect, migrate (in parallel), report, write."""

from __future__ import annotations

import difflib
import json
import sys
import traceback
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from petrock_gen.errors import UsageError
from petrock_gen.migrate import _ui
from petrock_gen.migrate._report import FileResult, RunReport

__all__ = ["Options", "migrate_file", "migrate_paths"]


@dataclass(frozen=True)
class Options:
    """`--diff`, `--check`, `--jobs`, `--json`, `--only`, `--skip`."""

    diff: bool = False
    check: bool = False
    jobs: int = 1
    json: bool = False
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()

    @property
    def writes(self) -> bool:
        return not (self.diff or self.check)


def migrate_file(path: str, only: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> FileResult:
    """Migrate one file in memory (nothing is written): its result, with the new code if changed."""
    from petrock_gen.migrate._core import may_contain_worker, migrate_source
    from petrock_gen.migrate.patterns import select

    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return FileResult(path, "failed", f"not UTF-8: {error.reason} at byte {error.start}")
    if not may_contain_worker(text):
        return FileResult(path, "skipped", "cannot contain an old-style worker")
    import libcst

    try:
        new, classes = migrate_source(text, path, select(list(only), list(skip)))
    except libcst.ParserSyntaxError as error:
        reason = f"does not parse: line {error.raw_line}: {error.message}"
        return FileResult(path, "failed", reason)
    except Exception:  # a bug: keep the traceback in the report, go on with the other files
        return FileResult(path, "failed", "internal error:\n" + traceback.format_exc())
    if new == text:
        return FileResult(path, "unchanged", "", classes)
    return FileResult(path, "changed", "", classes, new_code=new)


def migrate_paths(
    paths: Sequence[Path],
    options: Options,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> RunReport:
    """Migrate every worker file under `paths`: progress and summary on `err`, the diff or the
    JSON report on `out`, files rewritten atomically unless `--diff`/`--check`."""
    from petrock_gen.migrate._files import collect_files, write_atomically
    from petrock_gen.migrate.patterns import select

    _validate(paths, options)
    select(list(options.only), list(options.skip))
    files = collect_files(paths)
    console = _ui.console(err or sys.stderr)
    with _ui.progress(console, len(files)) as advance:
        results = _migrate_all([str(f) for f in files], options, advance)
    report = RunReport(results, check=options.check)
    changed = report.changed()
    for result in changed:
        assert result.new_code is not None
        if options.diff:
            result.diff = _diff(result.path, result.new_code)
    if options.writes:
        write_atomically([(Path(r.path), r.new_code or "") for r in changed])
    _ui.summary(console, report, options.writes)
    stdout = out or sys.stdout
    if options.json:
        stdout.write(json.dumps(report.to_json(), indent=2) + "\n")
    elif options.diff:
        stdout.write("".join(r.diff or "" for r in changed))
    return report


def _validate(paths: Sequence[Path], options: Options) -> None:
    if options.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {options.jobs}")
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory", "pass files or directories")
    from petrock_gen.migrate.patterns import PATTERNS

    known = [p.id for p in PATTERNS]
    for pattern_id in (*options.only, *options.skip):
        if pattern_id not in known:
            raise UsageError(f"unknown pattern {pattern_id!r}", f"choose from {', '.join(known)}")


def _migrate_all(paths: list[str], options: Options, advance: _ui.Advance) -> list[FileResult]:
    if options.jobs == 1 or len(paths) < 2:
        results = []
        for path in paths:
            results.append(migrate_file(path, options.only, options.skip))
            advance(path)
        return results
    slots: list[FileResult | None] = [None] * len(paths)
    with ProcessPoolExecutor(max_workers=options.jobs) as pool:
        futures = {
            pool.submit(migrate_file, path, options.only, options.skip): index
            for index, path in enumerate(paths)
        }
        for future in as_completed(futures):
            slots[futures[future]] = future.result()
            advance(paths[futures[future]])
    return [r for r in slots if r is not None]


def _diff(path: str, new: str) -> str:
    old = Path(path).read_bytes().decode("utf-8")
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), path, path
    )
    return "".join(lines)

"""The file engine: decide what a render writes, merge with the user's edits, write atomically.

The generator renders `RenderedFile`s; `plan_files(root, files)` compares each with the file on disk
and its baseline (the last render, kept under `.petrock/baselines/` and committed with the project)
and returns a `Plan` of `FileAction`s with a status word per file:

- create: the file does not exist yet;
- update: the user never edited it, so the new render replaces it;
- merge: the user edited it and the three-way merge is clean (user files: new functions, classes
  and imports added structurally);
- identical: nothing to write;
- skip: a user file with nothing to add;
- conflict: both sides changed the same lines (git-style markers are written), or the file was
  refused (it still has conflict markers, or it does not parse);
- deleted: the user deleted a file petrock wrote before; it stays deleted.

`Plan.apply()` writes every temporary file before the first rename, so an interrupted run leaves no
half-written file, and records the new baselines of the files it wrote.
"""

from __future__ import annotations

from petrock_gen.files._merge import MergeResult, has_conflict_markers, merge3
from petrock_gen.files._plan import Plan, plan_files
from petrock_gen.files._store import (
    BASELINES_DIR,
    MANIFEST_PATH,
    FeatureRecord,
    FileRecord,
    Manifest,
    load_manifest,
    read_baseline,
    sha256_text,
)
from petrock_gen.files._types import FileAction, RenderedFile

__all__ = [
    "BASELINES_DIR",
    "MANIFEST_PATH",
    "FeatureRecord",
    "FileAction",
    "FileRecord",
    "Manifest",
    "MergeResult",
    "Plan",
    "RenderedFile",
    "has_conflict_markers",
    "load_manifest",
    "merge3",
    "plan_files",
    "read_baseline",
    "sha256_text",
]

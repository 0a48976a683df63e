"""Baselines and the manifest, stored inside the project under `.petrock/` (committed with it).

- `.petrock/baselines/<path>`: the last render of every file petrock wrote (generated or user).
- `.petrock/manifest.json`: per file its kind and the sha256 of its baseline; per feature the
  template version and the hash of everything its render depends on (used to skip unchanged
  features without rendering them).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from petrock_gen.errors import UserError

__all__ = [
    "BASELINES_DIR",
    "MANIFEST_PATH",
    "STATE_DIR",
    "FeatureRecord",
    "FileRecord",
    "Manifest",
    "baseline_path",
    "check_relative",
    "load_manifest",
    "read_baseline",
    "sha256_text",
]

STATE_DIR = ".petrock"
BASELINES_DIR = f"{STATE_DIR}/baselines"
MANIFEST_PATH = f"{STATE_DIR}/manifest.json"
_FORMAT = 1


def sha256_text(text: str) -> str:
    """Hex sha256 of `text` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class FileRecord:
    """What the manifest remembers about one file: its kind and its baseline's hash."""

    kind: str
    sha256: str


@dataclass(frozen=True)
class FeatureRecord:
    """What the manifest remembers about one feature's last regeneration."""

    template_version: str
    inputs_sha256: str
    files: tuple[str, ...] = ()


@dataclass
class Manifest:
    """The contents of `.petrock/manifest.json`."""

    files: dict[str, FileRecord] = field(default_factory=dict)
    features: dict[str, FeatureRecord] = field(default_factory=dict)

    def to_json(self) -> str:
        """Stable, diff-friendly JSON (sorted keys, one entry per line)."""
        data: dict[str, Any] = {
            "format": _FORMAT,
            "files": {
                path: {"kind": rec.kind, "sha256": rec.sha256}
                for path, rec in sorted(self.files.items())
            },
            "features": {
                name: {
                    "template_version": rec.template_version,
                    "inputs_sha256": rec.inputs_sha256,
                    "files": list(rec.files),
                }
                for name, rec in sorted(self.features.items())
            },
        }
        return json.dumps(data, indent=2, sort_keys=True) + "\n"


def load_manifest(root: Path) -> Manifest:
    """Read the manifest of the project at `root`; an empty one when there is none yet."""
    path = root / MANIFEST_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Manifest()
    try:
        data = json.loads(text)
        files = {
            str(p): FileRecord(kind=str(r["kind"]), sha256=str(r["sha256"]))
            for p, r in data.get("files", {}).items()
        }
        features = {
            str(n): FeatureRecord(
                template_version=str(r["template_version"]),
                inputs_sha256=str(r["inputs_sha256"]),
                files=tuple(str(f) for f in r.get("files", [])),
            )
            for n, r in data.get("features", {}).items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise UserError(
            f"{MANIFEST_PATH} is corrupt: {error}",
            hint=f"restore it from git (git checkout -- {MANIFEST_PATH})",
        ) from error
    return Manifest(files=files, features=features)


def check_relative(path: str) -> PurePosixPath:
    """`path` as a safe relative posix path (no absolute path, no `..`, not inside `.petrock`)."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts or "\\" in path:
        raise ValueError(f"not a relative posix path inside the project: {path!r}")
    if pure.parts[0] == STATE_DIR:
        raise ValueError(f"{path!r} is inside {STATE_DIR}/, which petrock keeps for itself")
    return pure


def baseline_path(root: Path, path: str) -> Path:
    """Where the baseline of the project file `path` lives."""
    return root / BASELINES_DIR / path


def read_baseline(
    root: Path, path: str, record: FileRecord | None = None, render: str | None = None
) -> str | None:
    """The last render of `path`, or None when there is no usable baseline.

    With the manifest's `record`, a baseline whose hash does not match it is not trusted (None,
    so callers merge against an empty base) unless it is exactly `render`: a run interrupted
    between writing baselines and the manifest had already recorded that render.
    """
    try:
        text = baseline_path(root, path).read_bytes().decode("utf-8")
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, UnicodeDecodeError):
        return None
    if record is not None and sha256_text(text) != record.sha256 and text != render:
        return None
    return text

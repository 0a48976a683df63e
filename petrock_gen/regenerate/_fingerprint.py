"""What a feature's render depends on, hashed: the skip test of a no-op regeneration.

A feature is up to date when the hash of its inputs (its `feature.toml` bytes, the project's
package and folders, and the template version) equals the one recorded in the manifest at its last
regeneration. The template version is petrock's version plus a fingerprint of the shipped
templates and of the generator's code, so a newer petrock (or edited templates) re-renders.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from petrock_gen import __version__, _paths

__all__ = ["feature_inputs", "registry_inputs", "template_version"]


def template_version() -> str:
    """`<petrock version>+<12 hex digits>` of the templates folder and the generator's code."""
    import petrock_gen.generate

    digest = hashlib.sha256()
    for folder in (_paths.templates_dir(), Path(petrock_gen.generate.__file__).parent):
        files = sorted(p for p in folder.rglob("*") if _counts(p))
        for path in files:
            name = path.relative_to(folder).as_posix()
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:12]}"


def _counts(path: Path) -> bool:
    return path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"


def feature_inputs(version: str, project_key: str, spec: bytes) -> str:
    """The hash of everything one feature's render depends on."""
    digest = hashlib.sha256(f"{version}\0{project_key}\0".encode())
    digest.update(spec)
    return digest.hexdigest()


def registry_inputs(version: str, project_key: str, features: Iterable[tuple[str, str]]) -> str:
    """The hash of everything the registry depends on: every feature's name and inputs hash."""
    digest = hashlib.sha256(f"{version}\0{project_key}\0".encode())
    for name, inputs in sorted(features):
        digest.update(f"{name}\0{inputs}\0".encode())
    return digest.hexdigest()

"""Wheels of the runtime and of petrock-gen, built from the installed copies, for new projects.

While `petrock-runtime` and `petrock-gen` are not on a package index, `petrock new project` writes
both wheels into the project's `wheels/` folder, so the project installs in a fresh venv with
`pip install --find-links wheels -e '.[dev]'` and nothing of petrock installed beforehand.

A wheel is a zip of the package's files plus a `.dist-info` folder (METADATA, WHEEL, RECORD);
the METADATA and entry points are the installed distribution's own. Entries are written in a fixed
order with a fixed date, so the same installed files always give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from petrock_gen.errors import UserError

__all__ = [
    "RUNTIME_DIST",
    "TOOL_DIST",
    "WHEELS_DIR",
    "Wheel",
    "compatible_range",
    "project_wheels",
]

RUNTIME_DIST = "petrock-runtime"
TOOL_DIST = "petrock-gen"
WHEELS_DIR = "wheels"
_EPOCH = (1980, 1, 1, 0, 0, 0)
_WHEEL_FILE = (
    "Wheel-Version: 1.0\nGenerator: petrock-gen\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
)
# `Requires-Dist: petrock-runtime[postgres] @ file:///...; extra == "postgres"` in a checkout's
# metadata: the runtime taken from a path, which another machine does not have.
_DIRECT_RUNTIME = re.compile(r"^(Requires-Dist: petrock-runtime(?:\[[^\]]*\])?) @ [^;]*?\s*(;.*)?$")


@dataclass(frozen=True)
class Wheel:
    """A built wheel: its file name (`<dist>-<version>-py3-none-any.whl`) and its bytes."""

    filename: str
    content: bytes


def compatible_range(version: str) -> str:
    """The versions compatible with `version`: the same major (the same minor while the major
    is 0), from `version` on; e.g. `0.2.0.dev0` -> `>=0.2.0.dev0,<0.3`."""
    match = re.match(r"(\d+)\.(\d+)", version)
    if match is None:
        raise ValueError(f"not a release version: {version!r}")
    major, minor = int(match[1]), int(match[2])
    upper = f"{major}.{minor + 1}" if major == 0 else f"{major + 1}"
    return f">={version},<{upper}"


def project_wheels() -> list[Wheel]:
    """The wheels of the installed runtime and of the installed petrock-gen (with its templates)."""
    import petrock_runtime

    from petrock_gen import __version__
    from petrock_gen._paths import templates_dir

    runtime_files = _package_files(Path(petrock_runtime.__file__).parent, "petrock_runtime")
    tool_files = _package_files(Path(__file__).resolve().parents[1], "petrock_gen")
    tool_files = {
        k: v for k, v in tool_files.items() if not k.startswith("petrock_gen/_templates/")
    }
    tool_files.update(_package_files(templates_dir(), "petrock_gen/_templates"))
    runtime = _wheel(RUNTIME_DIST, petrock_runtime.__version__, runtime_files, runtime_pin=None)
    tool = _wheel(TOOL_DIST, __version__, tool_files, runtime_pin=petrock_runtime.__version__)
    return [runtime, tool]


def _package_files(folder: Path, prefix: str) -> dict[str, bytes]:
    return {
        f"{prefix}/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def _wheel(dist: str, version: str, files: dict[str, bytes], runtime_pin: str | None) -> Wheel:
    metadata, entry_points = _installed_metadata(dist, version)
    if runtime_pin is not None:
        metadata = "\n".join(
            _DIRECT_RUNTIME.sub(rf"\1=={runtime_pin}\2", line) for line in metadata.split("\n")
        )
    stem = f"{dist.replace('-', '_')}-{version}"
    info = f"{stem}.dist-info"
    entries = dict(sorted(files.items()))
    entries[f"{info}/METADATA"] = metadata.encode()
    entries[f"{info}/WHEEL"] = _WHEEL_FILE.encode()
    if entry_points:
        entries[f"{info}/entry_points.txt"] = entry_points.encode()
    record = [f"{name},sha256={_digest(data)},{len(data)}" for name, data in entries.items()]
    entries[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            item = zipfile.ZipInfo(name, _EPOCH)
            item.compress_type = zipfile.ZIP_DEFLATED
            item.external_attr = 0o644 << 16
            archive.writestr(item, data)
    return Wheel(f"{stem}-py3-none-any.whl", buffer.getvalue())


def _installed_metadata(dist: str, version: str) -> tuple[str, str | None]:
    try:
        found = importlib.metadata.distribution(dist)
    except importlib.metadata.PackageNotFoundError:
        raise UserError(
            f"{dist} is not installed as a distribution, so its wheel cannot be built",
            hint=f"install petrock-gen with pip (it brings {RUNTIME_DIST}), then run again",
        ) from None
    metadata = found.read_text("METADATA")
    if metadata is None or found.version != version:
        raise UserError(
            f"the installed {dist} metadata ({found.version}) does not match its code ({version})",
            hint="reinstall petrock-gen (e.g. pip install -e '.[dev]' in its checkout)",
        )
    return metadata, found.read_text("entry_points.txt")


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()

"""The wheels `petrock new project` writes: built from the installed copies, valid and reproducible."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile

import pytest

from petrock_gen.generate._wheels import compatible_range, project_wheels


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.2.0.dev0", ">=0.2.0.dev0,<0.3"),
        ("0.2.3", ">=0.2.3,<0.3"),
        ("1.4.0", ">=1.4.0,<2"),
        ("2.0", ">=2.0,<3"),
    ],
)
def test_compatible_range(version: str, expected: str) -> None:
    assert compatible_range(version) == expected


def _entries(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_wheels_are_reproducible_and_their_records_match() -> None:
    first, second = project_wheels(), project_wheels()
    assert [w.content for w in first] == [w.content for w in second]
    for wheel in first:
        entries = _entries(wheel.content)
        record = next(name for name in entries if name.endswith(".dist-info/RECORD"))
        rows = [line.split(",") for line in entries[record].decode().splitlines()]
        assert {row[0] for row in rows} == set(entries)
        for name, digest, size in rows:
            if name == record:
                continue
            data = entries[name]
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert (digest, int(size)) == (f"sha256={expected.decode()}", len(data))


def test_the_runtime_wheel_holds_the_runtime_only() -> None:
    runtime, _ = project_wheels()
    assert runtime.filename.startswith("petrock_runtime-")
    names = _entries(runtime.content)
    assert all(n.startswith(("petrock_runtime/", "petrock_runtime-")) for n in names)
    assert "petrock_runtime/py.typed" in names
    assert not any("__pycache__" in n for n in names)


def test_the_tool_wheel_carries_its_templates_and_pins_the_runtime() -> None:
    runtime, tool = project_wheels()
    entries = _entries(tool.content)
    assert "petrock_gen/_templates/project/copier.yml" in entries
    assert "petrock_gen/_templates/feature/commands.py.jinja" in entries
    info = tool.filename.removesuffix("-py3-none-any.whl") + ".dist-info"
    metadata = entries[f"{info}/METADATA"].decode()
    version = runtime.filename.split("-")[1]
    assert f"Requires-Dist: petrock-runtime=={version}\n" in metadata
    assert " @ " not in metadata.split("\n\n")[0]  # no direct (path) references in the headers
    assert "petrock = petrock_gen.cli:main" in entries[f"{info}/entry_points.txt"].decode()

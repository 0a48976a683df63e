"""Finding the files to migrate (respecting .gitignore) and writing results atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pathspec

from petrock_gen.errors import UserError

__all__ = ["collect_files", "write_atomically"]


def collect_files(paths: Sequence[Path]) -> list[Path]:
    """The Python files named by `paths`, sorted; directories are walked, skipping what a
    `.gitignore` (of the walked tree or of its git repository above it) ignores, and `.git`.
    A file named explicitly is always included."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(_walk(path))
        else:
            raise UserError(f"{path}: no such file or directory", "pass files or directories")
    unique = {path.resolve(): path for path in reversed(found)}  # `a.py` and `./a.py` once
    return sorted(unique.values())


def _walk(root: Path) -> Iterable[Path]:
    specs = _ancestor_specs(root)
    for directory, dirnames, filenames in os.walk(root):
        here = Path(directory)
        spec = _spec(here)
        if spec is not None:
            specs = [*specs, (here, spec)]
        dirnames[:] = sorted(
            d for d in dirnames if d != ".git" and not _ignored(here / d, True, specs)
        )
        for name in sorted(filenames):
            if name.endswith(".py") and not _ignored(here / name, False, specs):
                yield here / name


def _spec(directory: Path) -> pathspec.GitIgnoreSpec | None:
    ignore = directory / ".gitignore"
    if not ignore.is_file():
        return None
    return pathspec.GitIgnoreSpec.from_lines(ignore.read_text(encoding="utf-8").splitlines())


def _ancestor_specs(root: Path) -> list[tuple[Path, pathspec.GitIgnoreSpec]]:
    """.gitignore files from the enclosing git repository's top down to (not including) `root`."""
    root = root.resolve()
    chain: list[Path] = []
    for parent in root.parents:
        chain.append(parent)
        if (parent / ".git").exists():
            break
    else:
        return []
    specs = []
    for directory in reversed(chain):
        spec = _spec(directory)
        if spec is not None:
            specs.append((directory, spec))
    return specs


def _ignored(
    path: Path, is_dir: bool, specs: Sequence[tuple[Path, pathspec.GitIgnoreSpec]]
) -> bool:
    absolute = path.resolve()
    for base, spec in specs:
        try:
            relative = absolute.relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
        if spec.match_file(relative + "/" if is_dir else relative):
            return True
    return False


def write_atomically(contents: Sequence[tuple[Path, str]]) -> None:
    """Write every file through a temporary file next to it; all temporary files are written
    before the first rename, so a failure leaves every target as it was."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in contents:
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((temp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            os.chmod(temp, path.stat().st_mode & 0o7777)
    except BaseException:
        for temp, _ in staged:
            Path(temp).unlink(missing_ok=True)
        raise
    for temp, path in staged:
        os.replace(temp, path)

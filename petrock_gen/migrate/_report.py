"""What the migrator found and did: per class, per file and per run."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "ClassResult",
    "FileResult",
    "FileStatus",
    "Finding",
    "FindingKind",
    "Outcome",
    "RunReport",
]

Outcome = Literal["migrated", "partial", "refused", "unchanged"]
FindingKind = Literal["todo", "refused", "note"]
FileStatus = Literal["changed", "unchanged", "skipped", "failed"]

OUTCOMES: tuple[str, ...] = ("migrated", "partial", "refused", "unchanged", "failed")


@dataclass(frozen=True)
class Finding:
    """One line of the report: a TODO left in the code, the reason for a refusal, or a note."""

    line: int
    kind: FindingKind
    message: str


@dataclass
class ClassResult:
    """The outcome for one class of a file, with every finding (line numbers of the input)."""

    name: str
    line: int
    outcome: Outcome
    findings: list[Finding] = field(default_factory=list)


@dataclass
class FileResult:
    """The result for one file. `new_code` is set when the file would change."""

    path: str
    status: FileStatus
    reason: str = ""
    classes: list[ClassResult] = field(default_factory=list)
    new_code: str | None = None
    diff: str | None = None

    def needs_human(self) -> bool:
        """True when a class is partial or refused, or the file failed."""
        return self.status == "failed" or any(
            c.outcome in ("partial", "refused") for c in self.classes
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (without the new code)."""
        data: dict[str, Any] = {
            "path": self.path,
            "status": self.status,
            "reason": self.reason,
            "classes": [asdict(c) for c in self.classes],
        }
        if self.diff is not None:
            data["diff"] = self.diff
        return data


@dataclass
class RunReport:
    """Every file of one run, and the exit code it maps to."""

    files: list[FileResult]
    check: bool = False

    def counts(self) -> dict[str, int]:
        """Classes per outcome, plus files that failed."""
        counter: Counter[str] = Counter(c.outcome for f in self.files for c in f.classes)
        counter["failed"] = sum(1 for f in self.files if f.status == "failed")
        return {name: counter[name] for name in OUTCOMES}

    def changed(self) -> list[FileResult]:
        """The files that were (or would be) rewritten."""
        return [f for f in self.files if f.status == "changed"]

    def exit_code(self) -> int:
        """0: all migrated or nothing to do; 1: something needs a human, or `--check` found a change."""
        if any(f.needs_human() for f in self.files):
            return 1
        if self.check and self.changed():
            return 1
        return 0

    def to_json(self) -> dict[str, Any]:
        """The whole report as a JSON-ready dict."""
        return {
            "files": [f.to_json() for f in self.files],
            "summary": self.counts(),
            "exit_code": self.exit_code(),
        }

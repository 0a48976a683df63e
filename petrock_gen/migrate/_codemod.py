"""The migration as a LibCST codemod command, for `python -m libcst.tool codemod`."""

from __future__ import annotations

import argparse

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand

from petrock_gen.migrate._format import format_ranges
from petrock_gen.migrate._transform import transform_module
from petrock_gen.migrate.patterns import PATTERNS, select

__all__ = ["MigrateWorkerCommand"]


class MigrateWorkerCommand(VisitorBasedCodemodCommand):
    """Rewrite old-style `work()` loops into petrock_gen handler registrations.

    `python -m libcst.tool codemod -x petrock_gen.migrate.MigrateWorkerCommand --no-format PATH`
    (`--no-format`: the command formats only the code it writes, with ruff).
    """

    DESCRIPTION = "Migrate hand-written worker loops to petrock_gen handler registrations."

    def __init__(
        self, context: CodemodContext, only: str | None = None, skip: str | None = None
    ) -> None:
        super().__init__(context)
        self.patterns = select(only.split(",") if only else None, skip.split(",") if skip else None)

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        """`--only` / `--skip`: comma-separated pattern ids."""
        arg_parser.add_argument("--only", default=None, help="only these patterns (a,b)")
        arg_parser.add_argument("--skip", default=None, help="all but these patterns (a,b)")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        done = transform_module(tree, self.patterns, PATTERNS, path=self.context.filename)
        for result in done.classes:
            for finding in result.findings:
                if finding.kind != "note":
                    self.warn(f"line {finding.line}: {result.name}: {finding.message}")
        if done.code is None:
            raise SkipFile("no old-style worker to migrate")
        path = self.context.filename or "<stdin>.py"
        return cst.parse_module(format_ranges(done.code, path, done.ranges))

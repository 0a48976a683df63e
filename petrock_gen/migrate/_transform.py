"""One module in, one module out: plan every worker class, build, insert, import, verify."""

from __future__ import annotations

import ast
import builtins
import re
import symtable
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import libcst as cst
import libcst.helpers
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from petrock_gen.migrate._analyze import ClassPlan, Disabled, find_work, literal_names, plan_class
from petrock_gen.migrate._build import Built, build_class
from petrock_gen.migrate._imports import add_imports, first_party_of
from petrock_gen.migrate._model import Pattern, Refusal
from petrock_gen.migrate._names import NameAllocator, identifiers_in, names_of
from petrock_gen.migrate._report import ClassResult, Finding, Outcome

__all__ = ["RUNTIME", "Transformed", "transform_module"]

RUNTIME = "petrock_runtime"
_RUNTIME_NAMES = ("WorkerContext", "Message", "CommandWorker", "Retry", "Command")


@dataclass
class Transformed:
    """The new module (the input itself when nothing changed), the classes, and the line ranges
    (1-based, inclusive) of the code the migrator wrote, for formatting."""

    module: cst.Module
    code: str | None
    classes: list[ClassResult]
    ranges: list[tuple[int, int]]


def transform_module(
    module: cst.Module,
    patterns: Sequence[Pattern],
    all_patterns: Sequence[Pattern],
    source: str | None = None,
    path: str | None = None,
) -> Transformed:
    """Migrate every old-style worker class of `module` (see the package docstring).

    `path` (the file, when there is one) tells first-party imports apart for the runtime import.
    """
    candidates = [s for s in module.body if isinstance(s, cst.ClassDef) and find_work(s)]
    if not candidates:
        return Transformed(module, None, [], [])
    source = module.code if source is None else source
    tree = ast.parse(source)
    line = _Lines(module, tree, candidates)

    module_names = literal_names(module)
    results: dict[str, ClassResult] = {}
    plans: dict[str, ClassPlan] = {}
    for cls in candidates:
        name = cls.name.value
        try:
            plan = plan_class(cls, patterns, all_patterns, module_names, line)
        except Refusal as refusal:
            results[name] = _refused(cls, line, refusal)
            continue
        except Disabled as disabled:
            results[name] = ClassResult(
                name, line(cls), "unchanged", [Finding(line(cls), "note", str(disabled))]
            )
            continue
        if plan is None:
            results[name] = ClassResult(
                name,
                line(cls),
                "unchanged",
                [
                    Finding(
                        line(cls), "note", "not an old-style worker: `work()` has no message loop"
                    )
                ],
            )
        else:
            plans[name] = plan
    taken = identifiers_in(tree)
    while True:
        rt = _runtime_names(module, taken)
        built: dict[str, Built] = {}
        names = NameAllocator(taken | set(rt.values()))
        for name, plan in plans.items():
            try:
                built[name] = build_class(
                    plan, names, rt, _command_base(taken, rt), len(plans) == 1
                )
            except Refusal as refusal:
                results[name] = _refused(plan.cls, line, refusal)
        plans = {n: p for n, p in plans.items() if n in built}
        new_module, code, ranges = _assemble(module, plans, built, rt, taken, path)
        bad = _undefined(code, built)
        if bad is None:
            break
        name, missing = bad
        results[name] = _refused(
            plans[name].cls,
            line,
            Refusal(
                line(plans[name].cls),
                f"the handlers would read `{missing}`, which nothing defines at module level"
                + ("" if missing == "self" else " (a local carried between messages?)"),
            ),
        )
        del plans[name]
    for name, b in built.items():
        b.findings.extend(_dropped_comments(source, code, line.work_span.get(id(plans[name].cls))))
        outcome: Outcome = "partial" if any(f.kind == "todo" for f in b.findings) else "migrated"
        results[name] = ClassResult(name, line(plans[name].cls), outcome, b.findings)
    ordered = [results[c.name.value] for c in candidates]
    if not plans:
        return Transformed(module, None, ordered, [])
    return Transformed(new_module, code, ordered, ranges)


_COMMENT = re.compile(r"#.*$", re.MULTILINE)


def _dropped_comments(source: str, code: str | None, span: tuple[int, int] | None) -> list[Finding]:
    """Comments of `work()` that the new code no longer carries (they sat on loop plumbing or a
    dropped default branch): reported, never lost silently. Found textually, so a `#` inside a
    string may be reported too; that costs a note, not a statement."""
    if code is None or span is None:
        return []
    kept = {found.strip() for found in _COMMENT.findall(code)}
    lines = source.splitlines()[span[0] - 1 : span[1]]
    return [
        Finding(number, "note", f"comment dropped with the loop plumbing: {found.group(0).strip()}")
        for number, text in enumerate(lines, start=span[0])
        if (found := _COMMENT.search(text)) is not None and found.group(0).strip() not in kept
    ]


class _Lines:
    """Line numbers of nodes, on demand. Classes and their `work()` come from the `ast` tree;
    anything else resolves libcst's PositionProvider once (it costs a full code generation, so a
    plain migration with nothing to report never pays it)."""

    def __init__(self, module: cst.Module, tree: ast.Module, classes: list[cst.ClassDef]) -> None:
        self.module = module
        self.positions: Mapping[cst.CSTNode, CodeRange] | None = None
        self.cheap: dict[int, int] = {}
        self.work_span: dict[int, tuple[int, int]] = {}
        by_name = {c.name: c for c in tree.body if isinstance(c, ast.ClassDef)}
        for cls in classes:
            found = by_name.get(cls.name.value)
            work = find_work(cls)
            if found is None or work is None or len(by_name) != len(tree_classes(tree)):
                continue
            self.cheap[id(cls)] = found.lineno
            for method in found.body:
                if (
                    isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef)
                    and method.name == "work"
                ):
                    self.cheap[id(work)] = method.lineno
                    self.work_span[id(cls)] = (method.lineno, method.end_lineno or method.lineno)

    def __call__(self, node: cst.CSTNode) -> int:
        cheap = self.cheap.get(id(node))
        if cheap is not None:
            return cheap
        if self.positions is None:
            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            self.positions = wrapper.resolve(PositionProvider)
        position = self.positions.get(node)
        return position.start.line if position is not None else 0


def tree_classes(tree: ast.Module) -> list[ast.ClassDef]:
    return [c for c in tree.body if isinstance(c, ast.ClassDef)]


def _refused(
    cls: cst.ClassDef, line: Callable[[cst.CSTNode], int], refusal: Refusal
) -> ClassResult:
    finding = Finding(refusal.line, "refused", refusal.message)
    return ClassResult(cls.name.value, line(cls), "refused", [finding])


def _runtime_names(module: cst.Module, taken: set[str]) -> dict[str, str]:
    """The local name of each runtime name: itself, or an alias when the module uses it already."""
    imported = _imported_from_runtime(module)
    names = NameAllocator(taken)
    result = {}
    for name in _RUNTIME_NAMES:
        if name in imported or name not in taken:
            result[name] = name
        else:
            result[name] = names.allocate(f"Petrock{name}")
    return result


def _imported_from_runtime(module: cst.Module) -> set[str]:
    found: set[str] = set()
    for stmt in module.body:
        for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
            if not isinstance(small, cst.ImportFrom) or small.module is None:
                continue
            if cst.helpers.get_full_name_for_node(small.module) != RUNTIME:
                continue
            if isinstance(small.names, Sequence):
                found.update(
                    a.name.value
                    for a in small.names
                    if a.asname is None and isinstance(a.name, cst.Name)
                )
    return found


def _command_base(taken: set[str], rt: dict[str, str]) -> str:
    """The module's own `Command` when it has one (the old commands derive from it)."""
    return "Command" if "Command" in taken else rt["Command"]


def _strip_work(cls: cst.ClassDef, work: cst.FunctionDef) -> cst.ClassDef:
    assert isinstance(cls.body, cst.IndentedBlock)
    body = [s for s in cls.body.body if s is not work]
    if not body:
        body = [cst.SimpleStatementLine([cst.Pass()])]
    return cls.with_changes(body=cls.body.with_changes(body=body))


def _assemble(
    module: cst.Module,
    plans: dict[str, ClassPlan],
    built: dict[str, Built],
    rt: dict[str, str],
    taken: set[str],
    path: str | None,
) -> tuple[cst.Module, str, list[tuple[int, int]]]:
    body: list[cst.BaseStatement] = []
    for stmt in module.body:
        plan = plans.get(stmt.name.value) if isinstance(stmt, cst.ClassDef) else None
        if plan is None or plan.cls is not stmt:
            body.append(stmt)
            continue
        body.append(_strip_work(stmt, plan.work))
        body.extend(built[stmt.name.value].statements)
    new = module.with_changes(body=body)
    generated = [s for b in built.values() for s in b.statements]
    needed = names_of(generated) & set(rt.values())
    wanted = [
        (name, None if local == name else local)
        for name, local in rt.items()
        if local in needed and not (name == "Command" and "Command" in taken)
    ]
    new = add_imports(new, RUNTIME, wanted, first_party_of(path))
    functions = {f for b in built.values() for f in b.functions}
    code = new.code
    return new, code, _ranges(code, functions)


def _ranges(code: str, functions: set[str]) -> list[tuple[int, int]]:
    """1-based inclusive line ranges of the top-level functions named in `functions` (adjacent
    ones merged), found in the generated code: a `def name(` at column 0 up to the last indented
    line before the next top-level statement."""
    ranges: list[tuple[int, int]] = []
    lines = code.splitlines()
    start: int | None = None
    end = 0
    for number, text in enumerate(lines, start=1):
        if not text.strip() or text[0] in " \t":
            if start is not None and text.strip():
                end = number
            continue
        match = _DEF.match(text)
        if match is not None and match.group(1) in functions:
            if start is None:
                start = number
            end = number
        elif start is not None and not text.startswith("#"):
            ranges.append((start, end))
            start = None
    if start is not None:
        ranges.append((start, end))
    return ranges


_DEF = re.compile(r"(?:async[ \t]+)?def[ \t]+(\w+)[ \t]*\(")


def _undefined(code: str, built: dict[str, Built]) -> tuple[str, str] | None:
    """(class, name) when a generated function reads a global nothing defines."""
    if "import *" in code:
        return None
    table = symtable.symtable(code, "<migrated>", "exec")
    defined = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    defined |= set(dir(builtins)) | {"__name__", "__file__", "__doc__", "__spec__"}
    owner = {f: cls for cls, b in built.items() for f in b.functions}
    for child in table.get_children():
        cls = owner.get(child.get_name())
        if cls is None:
            continue
        for missing in _globals(child) - defined:
            return cls, missing
    return None


def _globals(table: symtable.SymbolTable) -> set[str]:
    found = {s.get_name() for s in table.get_symbols() if s.is_global() and s.is_referenced()}
    for child in table.get_children():
        found |= _globals(child)
    return found

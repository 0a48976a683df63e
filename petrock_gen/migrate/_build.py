"""Writing the new code for one planned class: handlers, unknown handler, periodic work, factory."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst

from petrock_gen.migrate._analyze import ClassPlan
from petrock_gen.migrate._model import Arm, Refusal, block_statements
from petrock_gen.migrate._names import NameAllocator, names_in, names_of, snake
from petrock_gen.migrate._report import Finding
from petrock_gen.migrate._rewrite import ControlFlow, drop_unused_bindings
from petrock_gen.migrate._walk import iter_nodes, name_reads, replace_self

__all__ = ["Built", "build_class"]

PERIODIC_EVERY = 1.0
_LOG_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}


@dataclass
class Built:
    """The statements to insert after the class, the names they define, and the findings."""

    statements: list[cst.BaseStatement]
    functions: list[str]
    findings: list[Finding] = field(default_factory=list)
    needs_retry: bool = False


@dataclass
class _Ctx:
    plan: ClassPlan
    names: NameAllocator
    rt: Mapping[str, str]
    command_base: str
    ctx: str
    cmd: str
    used: set[str]
    built: Built
    templates: dict[str, cst.FunctionDef] = field(default_factory=dict)
    skips: set[int] = field(default_factory=set)


def build_class(
    plan: ClassPlan, names: NameAllocator, rt: Mapping[str, str], command_base: str, single: bool
) -> Built:
    """The generated code for `plan`; raises Refusal for a branch that can never run."""
    used = names_in(plan.work)
    ctx = next(n for n in ("ctx", "context", "worker_ctx", "wctx") if n not in used)
    cmd = plan.facts.cmd_var or next(n for n in ("cmd", "command", "cmd_") if n not in used)
    b = _Ctx(plan, names, rt, command_base, ctx, cmd, used, Built([], []))
    arms = plan.dispatch.arms
    order = list(dict.fromkeys(n for arm in arms for n in arm.names or ()))
    seqs = {n: _sequence(arms, n) for n in order}
    wild = _sequence(arms, None)
    reached = {id(a) for seq in [*seqs.values(), wild] for a in seq}
    for arm in arms:
        if id(arm) not in reached:
            raise Refusal(
                plan_line(b, arm.node),
                "this branch can never run: earlier ones match all its names",
            )
    handler_of: dict[str, str] = {}
    groups: dict[tuple[int, ...], list[str]] = {}
    for n in order:
        groups.setdefault(tuple(id(a) for a in seqs[n]), []).append(n)
    for group in groups.values():
        fn = _handler(b, group, seqs[group[0]])
        handler_of.update(dict.fromkeys(group, fn))
    unknown = _unknown(b, wild)
    periodic = _periodic(b)
    _factory(b, order, handler_of, unknown, periodic, single)
    _notes(b, periodic)
    for line in sorted(b.skips):
        b.built.findings.append(
            Finding(
                line,
                "note",
                "this `continue` also skipped the cursor bump, so the old loop could see the "
                "message again (next tick, or at once in a `while` fetch loop); now it is "
                "skipped once",
            )
        )
    return b.built


def plan_line(b: _Ctx, node: cst.CSTNode) -> int:
    return b.plan.facts.line(node)


def _sequence(arms: Sequence[Arm], name: str | None) -> list[Arm]:
    """The arms a message called `name` (None: any other name) runs through, in order."""
    seq: list[Arm] = []
    for arm in arms:
        if arm.names is None or (name is not None and name in arm.names):
            seq.append(arm)
            if arm.guard is None:
                break
    return seq


def _seq_body(seq: Sequence[Arm]) -> list[cst.BaseStatement]:
    arm = seq[0]
    if arm.guard is None:
        return [*arm.binds, *arm.body]
    rest = _seq_body(seq[1:]) if len(seq) > 1 else []
    block = cst.IndentedBlock(
        body=list(arm.body), header=arm.header or cst.TrailingWhitespace(), footer=arm.footer
    )
    orelse = cst.Else(body=cst.IndentedBlock(body=rest)) if rest else None
    return [*arm.binds, cst.If(test=arm.guard, body=block, orelse=orelse)]


def _core(b: _Ctx, core: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """Shared code around `core`, inside the per-message `try:` when there was one."""
    plan = b.plan
    inner = [*plan.before, *core, *plan.after]

    def wrap(stmts: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        if plan.wrapper is None:
            return stmts
        return [plan.wrapper.with_changes(body=plan.wrapper.body.with_changes(body=stmts))]

    if plan.before:  # shared bindings a handler never reads would be unused locals
        whole = wrap(inner)
        counts = names_of(whole)
        shared = {id(s) for s in plan.before}
        inner = drop_unused_bindings(inner, shared, lambda n: _reads(whole, n, counts))
    body = wrap(inner)
    if plan.name_binding is not None and plan.facts.name_var in names_of(body):
        body.insert(0, plan.name_binding)
    return body


def _reads(body: Sequence[cst.BaseStatement], name: str, counts: set[str]) -> int:
    return name_reads(body, name) - 1 if name in counts else 0


def _rewrite(b: _Ctx, stmts: Sequence[cst.BaseStatement], loop: bool) -> list[cst.BaseStatement]:
    plan = b.plan
    out: list[cst.BaseStatement] = []
    for stmt in stmts:
        if loop and _has_stop(stmt):
            flow = ControlFlow(
                "skip" if plan.bump_before else "retry", b.rt["Retry"], plan.facts.line
            )
            stmt = _statement(stmt.visit(flow))
            for line, todo in flow.todos:
                b.built.findings.append(Finding(line, "todo", todo.removeprefix("TODO(petrock): ")))
                b.built.needs_retry |= not plan.bump_before
            if flow.skips and not plan.bump_before:
                b.skips.update(plan.facts.line(node) for node in flow.skips)
        out.append(_statement(replace_self(stmt, b.ctx, plan.loop.msg_var)))
    return out or [cst.SimpleStatementLine([cst.Pass()])]


_STOPS = (cst.Continue, cst.Break, cst.Return)


def _has_stop(stmt: cst.BaseStatement) -> bool:
    return any(type(n) in _STOPS for n in iter_nodes(stmt))


def _statement(node: object) -> cst.BaseStatement:
    assert isinstance(node, cst.BaseStatement)
    return node


def _def(
    b: _Ctx,
    name: str,
    params: str,
    body: Sequence[cst.BaseStatement],
    leading: Sequence[cst.EmptyLine] = (),
    header: cst.TrailingWhitespace | None = None,
    footer: Sequence[cst.EmptyLine] = (),
) -> cst.FunctionDef:
    fn = b.templates.get(params)
    if fn is None:  # one parse per parameter list, not per handler
        parsed = cst.parse_statement(f"def f({params}) -> None:\n    pass\n")
        assert isinstance(parsed, cst.FunctionDef)
        fn = b.templates[params] = parsed
    asynchronous = b.plan.work.asynchronous is not None or b.plan.loop.is_async
    b.built.functions.append(name)
    return fn.with_changes(
        name=cst.Name(name),
        body=cst.IndentedBlock(
            body=list(body), header=header or cst.TrailingWhitespace(), footer=footer
        ),
        leading_lines=[cst.EmptyLine(), cst.EmptyLine(), *leading],
        asynchronous=cst.Asynchronous() if asynchronous else None,
    )


def _handler(b: _Ctx, group: list[str], seq: list[Arm]) -> str:
    plan = b.plan
    name = b.names.allocate(f"handle_{snake(group[0])}")
    classes = [
        c for n in group for arm in seq for c in arm.classes if plan.facts.literal_names.get(c) == n
    ]
    annotation = " | ".join(dict.fromkeys(classes)) if classes else b.command_base
    body = _rewrite(b, _core(b, _seq_body(seq)), loop=True)
    header = seq[0].header
    opening = body[0]
    if len(seq) == 1 and header is not None and header.comment is not None:
        assert isinstance(opening, cst.SimpleStatementLine | cst.BaseCompoundStatement)
        # `elif name == "x":  # why` -> the comment opens the handler's body
        first = opening.with_changes(
            leading_lines=[cst.EmptyLine(comment=header.comment), *opening.leading_lines]
        )
        body = [first, *body[1:]]
    params = (
        f"{b.ctx}: {b.rt['WorkerContext']}[{plan.facts.class_name}], {b.cmd}: {annotation}, "
        f"{plan.loop.msg_var}: {b.rt['Message']}"
    )
    single = len(seq) == 1
    b.built.statements.append(
        _def(
            b,
            name,
            params,
            body,
            leading=[*_loop_comments(b), *(line for arm in seq[:1] for line in arm.leading)],
            header=None,
            footer=seq[0].footer if single else (),
        )
    )
    return name


def _loop_comments(b: _Ctx) -> list[cst.EmptyLine]:
    """The comments above the message loop go above the first handler (once)."""
    if b.built.functions:
        return []
    return [line for line in b.plan.loop.node.leading_lines if line.comment is not None]


def _only_logs(arm: Arm) -> bool:
    for stmt in arm.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            return False
        for small in stmt.body:
            if isinstance(small, cst.Pass):
                continue
            call = small.value if isinstance(small, cst.Expr) else None
            func = call.func if isinstance(call, cst.Call) else None
            if not (isinstance(func, cst.Attribute) and func.attr.value in _LOG_METHODS):
                return False
            owner = func.value
            owner_name = owner.attr.value if isinstance(owner, cst.Attribute) else owner
            if not (isinstance(owner_name, str) and "log" in owner_name.lower()) and not (
                isinstance(owner_name, cst.Name) and "log" in owner_name.value.lower()
            ):
                return False
    return True


def _unknown(b: _Ctx, wild: list[Arm]) -> str | None:
    """`on_unknown` keeps a default branch, and shared code that also ran for unmatched names."""
    plan = b.plan
    shared = bool(plan.before or plan.after)
    if not wild and not shared:
        return None
    if not shared and len(wild) == 1 and _only_logs(wild[0]):
        b.built.findings.append(
            Finding(
                plan_line(b, wild[0].node),
                "note",
                "the default branch only logged; dropped (a command with no handler is not "
                "delivered to the worker)",
            )
        )
        return None
    core = _core(b, _seq_body(wild) if wild else [])
    prefix: list[cst.BaseStatement] = []
    if b.cmd in names_of(core):
        prefix.append(cst.parse_statement(f"{b.cmd} = {plan.loop.msg_var}.payload\n"))
        if plan.guarded:
            prefix.append(cst.parse_statement(f"if {b.cmd} is None:\n    return\n"))
    name = b.names.allocate("handle_unknown")
    params = f"{b.ctx}: {b.rt['WorkerContext']}[{plan.facts.class_name}], {plan.loop.msg_var}: {b.rt['Message']}"
    body = [*prefix, *_rewrite(b, core, loop=True)]
    b.built.statements.append(_def(b, name, params, body, leading=wild[0].leading if wild else ()))
    line = plan_line(b, wild[0].node) if wild else plan.facts.line(plan.work)
    what = "the default branch" if wild else "code shared by all branches"
    b.built.findings.append(Finding(line, "note", f"{what} runs in `{name}` (on_unknown)"))
    return name


def _periodic(b: _Ctx) -> str | None:
    plan = b.plan
    if not plan.periodic:
        return None
    wanted = "periodic_work"
    only = plan.periodic[0]
    if len(plan.periodic) == 1 and isinstance(only, cst.SimpleStatementLine):
        small = only.body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            func = small.value.func
            if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
                wanted = func.attr.value.lstrip("_") or wanted
    name = b.names.allocate(wanted)
    params = f"{b.ctx}: {b.rt['WorkerContext']}[{plan.facts.class_name}]"
    b.built.statements.append(_def(b, name, params, _rewrite(b, plan.periodic, loop=False)))
    return name


def _factory(
    b: _Ctx,
    order: list[str],
    handler_of: Mapping[str, str],
    unknown: str | None,
    periodic: str | None,
    single: bool,
) -> None:
    plan = b.plan
    cls = plan.facts.class_name
    name = b.names.allocate("build_worker" if single else f"build_{snake(cls)}")
    doc = plan.cls.get_docstring() or ""
    description = doc.strip().splitlines()[0] if doc.strip() else ""
    worker = "worker"
    lines = [
        f"def {name}(state: {cls}) -> {b.rt['CommandWorker']}[{cls}]:",
        f"    {worker} = {b.rt['CommandWorker']}({json.dumps(cls)}, {json.dumps(description)}, state=state)",
        *(f"    {worker}.on_command({json.dumps(n)}, {handler_of[n]})" for n in order),
    ]
    if unknown is not None:
        lines.append(f"    {worker}.on_unknown({unknown})")
    if periodic is not None:
        lines.append(f"    {worker}.set_periodic_work({periodic}, every={PERIODIC_EVERY})")
    lines.append(f"    return {worker}\n")
    fn = cst.parse_statement("\n".join(lines))
    assert isinstance(fn, cst.FunctionDef)
    body = list(fn.body.body)
    if plan.docstring is not None:
        body.insert(0, plan.docstring)
    comments = [line for line in plan.work.leading_lines if line.comment is not None]
    b.built.functions.append(name)
    b.built.statements.append(
        fn.with_changes(
            body=fn.body.with_changes(body=body),
            leading_lines=[cst.EmptyLine(), cst.EmptyLine(), *comments],
        )
    )


def _notes(b: _Ctx, periodic: str | None) -> None:
    plan = b.plan
    line = plan.facts.line
    add = b.built.findings.append
    add(
        Finding(
            line(plan.cls),
            "note",
            "handlers also run while the worker replays its log at start-up, as the old loop re-ran "
            "every branch on each boot: guard side effects with `if ctx.is_replay: return` "
            "(then `ctx.state.executor.execute(...)` can become `ctx.execute(...)`)",
        )
    )
    if plan.bump_before:
        add(
            Finding(
                line(plan.bump),
                "note",
                "the old loop moved its cursor before the dispatch finished (at-most-once: a "
                "failing or stopping message was skipped); the runtime delivers at-least-once "
                "and retries failures: make handlers idempotent (use `msg.id`)",
            )
        )
    if periodic is not None:
        add(
            Finding(
                line(plan.work),
                "note",
                f"`{periodic}` is the periodic work, every {PERIODIC_EVERY} s (the old loop ran it "
                "once per tick); adjust `every`",
            )
        )
    if plan.loop.node.orelse is not None:
        add(
            Finding(
                line(plan.loop.node.orelse),
                "note",
                "the message loop's `else:` (no `break` skips it) ran after every batch; it is in "
                "the periodic work now",
            )
        )
    if plan.periodic and plan.periodic[0] in block_statements(plan.work.body)[: _loop_index(plan)]:
        add(
            Finding(
                line(plan.periodic[0]),
                "note",
                "code before the loop now runs in the periodic work, after the handlers",
            )
        )


def _loop_index(plan: ClassPlan) -> int:
    return block_statements(plan.work.body).index(plan.loop.node)

"""isinstance_chain: `if isinstance(cmd, A): ... elif isinstance(cmd, (B, C)): ...`.

Each class must be defined at the top of the same module with its name as a literal: a class
attribute `name = "..."` / `name: ClassVar[str] = "..."`, or the class keyword `name="..."`. A class
that another class of the module subclasses is refused: `isinstance` would also match the subclass,
a name registration would not. The handler's `cmd` is annotated with the class.

Before::

    if isinstance(cmd, DocumentPublished):
        self.pending[cmd.doc_id] = cmd.title
    elif isinstance(cmd, DocumentUnpublished):
        self.pending.pop(cmd.doc_id, None)

After::

    def handle_document_published(
        ctx: WorkerContext[W], cmd: DocumentPublished, msg: Message
    ) -> None:
        ctx.state.pending[cmd.doc_id] = cmd.title

    # in build_worker:
    worker.on_command("docs/published", handle_document_published)
    worker.on_command("docs/unpublished", handle_document_unpublished)
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from petrock_gen.migrate._model import Dispatch, Facts, Pattern, Refusal, isinstance_of_cmd
from petrock_gen.migrate.patterns.if_chain import chain_arms

__all__ = ["PATTERN"]


def _classes(test: cst.BaseExpression, facts: Facts) -> tuple[str, ...] | None:
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
        left, right = _classes(test.left, facts), _classes(test.right, facts)
        return None if left is None or right is None else left + right
    call = isinstance_of_cmd(test, facts)
    if call is None:
        return None
    target = call.args[1].value
    items = [el.value for el in target.elements] if isinstance(target, cst.Tuple) else [target]
    if not all(isinstance(item, cst.Name) for item in items):
        return None
    return tuple(item.value for item in items if isinstance(item, cst.Name))


def _names(test: cst.BaseExpression, facts: Facts) -> tuple[str, ...] | None:
    classes = _classes(test, facts)
    if classes is None:
        return None
    names = []
    for cls in classes:
        if cls in facts.subclassed:
            raise Refusal(
                facts.line(test),
                f"`isinstance(..., {cls})` also matches its subclasses in this module",
            )
        if cls not in facts.literal_names:
            raise Refusal(
                facts.line(test),
                f"class `{cls}` is not defined in this module with a literal command name",
            )
        names.append(facts.literal_names[cls])
    return tuple(names)


def _match(stmts: Sequence[cst.BaseStatement], facts: Facts) -> Dispatch | None:
    for index, stmt in enumerate(stmts):
        if isinstance(stmt, cst.If) and _classes(stmt.test, facts) is not None:
            arms = chain_arms(stmt, facts, _names)
            if arms is None:
                continue
            for arm in arms:
                if arm.names is not None:
                    arm.classes = tuple(
                        cls for cls, name in facts.literal_names.items() if name in arm.names
                    )
            return Dispatch(index, index + 1, arms, "isinstance_chain")
    return None


PATTERN = Pattern(
    id="isinstance_chain",
    kind="dispatch",
    summary="`isinstance` chains over command classes with literal names in the same module",
    match_dispatch=_match,
)

"""`petrock migrate-worker`: rewrite hand-written worker loops into handler registrations.

An *old-style worker* is a class whose `work()` method loops over the message log after a cursor,
decodes each payload and dispatches on the command name, then runs periodic work. Each class gets
one outcome: **migrated**, **partial** (a `# TODO(petrock): ...` comment sits directly above what
needs a human, listed in the report), **refused** (left byte for byte, reason and line reported) or
**unchanged** (not an old-style worker, already migrated, or its pattern disabled).

The shape written for a migrated class (the generator's shape)::

    class ThumbnailWorker:                      # kept as the state object, minus `work()`:
        def __init__(self, log, executor, store):   # `self.x` keeps working as `ctx.state.x`,
            ...                                     # helpers as `ctx.state.helper()`
        def flush_queue(self): ...


    def handle_media_uploaded(
        ctx: WorkerContext[ThumbnailWorker], cmd: Command, msg: Message
    ) -> None:                                  # one per dispatch branch; `cmd`/`msg` keep the
        if cmd.content_type.startswith("image/"):   # loop's own names; `cmd` is annotated with
            ctx.state._enqueue(cmd.media_id)    # the isinstance class, else the module's Command


    def flush_queue(ctx: WorkerContext[ThumbnailWorker]) -> None:
        ctx.state.flush_queue()                 # code before/after the loop: periodic work


    def build_worker(state: ThumbnailWorker) -> CommandWorker[ThumbnailWorker]:
        worker = CommandWorker("ThumbnailWorker", "<first docstring line>", state=state)
        worker.on_command("media/uploaded", handle_media_uploaded)  # literal names only
        worker.set_periodic_work(flush_queue, every=1.0)
        return worker

Decisions, in the order of DESIGN.md section 3:

- The generated functions follow the class they came from. Their names never collide with any
  name of the module (`_2` suffixes); the factory is `build_worker` when one class of the file
  migrates, else `build_<class_snake>`. Runtime names are imported from `petrock_runtime`
  where ruff's isort (`I001`, default settings) puts a third-party import, so an isort-clean file
  stays clean: sorted into the third-party section of the leading import block, or starting that
  section between the standard library and first-party / relative imports; an aliased name on a
  line of its own; an existing `from petrock_runtime import` line is extended. `_imports`
  does this without `AddImportsVisitor` (36 ms a file, more than the benchmark's whole budget).
  A name the module already uses is aliased (`Message as PetrockMessage`); a module that has its
  own `Command` keeps it for the annotations.
- Only the loop plumbing disappears: the fetch, `cmd = msg.decoded_payload`, the
  `isinstance(cmd, Command)` guard, the `name = cmd.command_name()` temporary (re-bound in a handler
  that still reads it) and the cursor bump (a `try/finally:` that only moved the cursor is
  unwrapped). `msg.decoded_payload` elsewhere becomes `msg.payload`. Comments of `work()` that no
  longer appear (they sat on plumbing) are listed in the report with their line.
- Registrations use the literal names the dispatch matched, each once, in source order; an
  or-pattern / `in (...)` / `a or b` registers one handler under all its names. A `match` guard
  falls through to the later cases for the same name, which become its `else:`.
- Code shared by all branches (before/after the dispatch, or a per-message `try:` around it) is
  copied into each handler (a shared `x = ...` a handler never reads keeps only its call), and into
  an `on_unknown` handler, since it also ran for names no branch matched. A default branch becomes
  `on_unknown` (`cmd = msg.payload`, and `if cmd is None: return` where the old loop had its type
  guard); a default that only logs is dropped, with a note.
- Control flow: a loop-level `continue` becomes `return`. A loop-level `break`/`return` stopped the
  batch before the cursor moved, so the message was retried: it becomes `raise Retry(...)` under a
  TODO (partial: Retry counts against the attempt budget). When the cursor moved before the
  dispatch, it becomes `return` under a TODO, and a note says delivery turns at-least-once.
- `self.executor.execute(...)` becomes `ctx.state.executor.execute(...)`, not `ctx.execute(...)`:
  handlers keep running during replay (rule 9, one NOTE per worker), and `ctx.execute` raises
  there. Once the user guards side effects with `if ctx.is_replay: return`, they can switch.
- Periodic work runs `every=1.0` seconds (the old tick is unknown; a note says so).
- A `for` message loop's `else:` runs after the loop unless a `break` stops it: with no
  loop-level `break` it is code after the loop (periodic work, with a note); otherwise refused.
- Refused, never guessed: generators (`yield`), `super()`, `global`, parameters or decorators on
  `work()`, a `break` that skips the loop's `else:`, the `else:` of `while True:` (dead code), a
  one-line loop body (no room for a dispatch), the cursor read outside the plumbing, per-batch
  locals the loop reads, loop locals read after it, unresolvable `isinstance` or `case C()`
  classes (or subclassed ones), positional or value-testing class sub-patterns, a branch that
  can never run, two dispatches, and anything that would leave an undefined name (checked with
  `symtable` on the result).
- Only the written functions are formatted (`ruff format --range`); everything else stays byte for
  byte. Running the migrator on its output changes nothing (no `work()` is left).
"""

from __future__ import annotations

from petrock_gen.migrate._core import may_contain_worker, migrate_source
from petrock_gen.migrate._model import Pattern
from petrock_gen.migrate._report import ClassResult, FileResult, Finding, RunReport
from petrock_gen.migrate._run import Options, migrate_file, migrate_paths
from petrock_gen.migrate.patterns import PATTERNS

__all__ = [
    "PATTERNS",
    "ClassResult",
    "FileResult",
    "Finding",
    "MigrateWorkerCommand",
    "Options",
    "Pattern",
    "RunReport",
    "may_contain_worker",
    "migrate_file",
    "migrate_paths",
    "migrate_source",
]


def __getattr__(name: str) -> object:
    # The codemod command pulls in libcst.codemod's CLI helpers: load it only when asked for.
    if name == "MigrateWorkerCommand":
        from petrock_gen.migrate._codemod import MigrateWorkerCommand

        return MigrateWorkerCommand
    raise AttributeError(name)

"""What the feature templates read: names in every case, import blocks, sample values.

Templates only read these views; all decisions (naming, import order, defaults) are made here,
once, so the templates stay plain and the output is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

from petrock_gen.errors import UserError
from petrock_gen.generate._imports import import_block
from petrock_gen.generate._project import Project
from petrock_gen.generate._spec import CommandSpec, FeatureSpec, FieldSpec, WorkerSpec

__all__ = ["CommandView", "FeatureView", "WorkerView"]

RUNTIME = "petrock_runtime"
# Names the generated modules import; a generated class or function must not take them.
_IMPORTED = frozenset(
    {
        "ALL_COMMANDS",
        "Any",
        "App",
        "Call",
        "Callable",
        "Command",
        "CommandWorker",
        "Decimal",
        "Message",
        "UTC",
        "UUID",
        "ValidationError",
        "WorkerContext",
        "live_state",
        "register",
        "spy_on",
    }
)


@dataclass(frozen=True)
class WorkerView:
    """A worker as the templates see it."""

    spec: WorkerSpec
    is_main: bool
    feature: str

    @property
    def runtime_name(self) -> str:
        """The worker's unique name in the app: `billing` (main) or `billing/notifier`."""
        if self.is_main:
            return self.feature.replace("_", "-")
        return f"{self.feature.replace('_', '-')}/{self.spec.name.kebab}"

    @property
    def factory(self) -> str:
        return "build_worker" if self.is_main else f"build_{self.spec.name.snake}_worker"

    @property
    def state(self) -> str:
        return f"{self.spec.name.pascal}State"

    @property
    def periodic(self) -> str:
        return "run_periodic" if self.is_main else f"run_{self.spec.name.snake}_periodic"

    @property
    def description(self) -> str:
        return (self.spec.description or f"The {self.spec.name.title.lower()} worker").rstrip(".")

    def handler(self, command: CommandSpec) -> str:
        """The handler function of `command` in this worker."""
        name = command.name.snake
        return f"handle_{name}" if self.is_main else f"{self.spec.name.snake}_handle_{name}"


@dataclass(frozen=True)
class CommandView:
    """A command as the templates see it."""

    spec: CommandSpec
    feature: str
    workers: tuple[WorkerView, ...]

    @property
    def cls(self) -> str:
        return self.spec.name.pascal

    @property
    def runtime_name(self) -> str:
        return f"{self.feature.replace('_', '-')}/{self.spec.name.kebab}"

    @property
    def snake(self) -> str:
        return self.spec.name.snake

    @property
    def sample_function(self) -> str:
        return f"sample_{self.spec.name.snake}"

    @property
    def description(self) -> str:
        return (self.spec.description or "Describe what this command asks for").rstrip(".")

    def handler_names(self) -> list[str]:
        """The handler functions of this command, sorted."""
        return sorted(w.handler(self.spec) for w in self.workers)

    def field_lines(self) -> list[str]:
        """`name: annotation[ = default]` per field."""
        return [_field_line(f) for f in self.spec.fields]

    def sample_call(self) -> str:
        """`Charge(invoice_id="example", amount_cents=1)`."""
        args = ", ".join(f"{f.name.snake}={f.type.sample()}" for f in self.spec.fields)
        return f"{self.cls}({args})"


class FeatureView:
    """The whole feature: project paths, commands, workers and each file's import block."""

    def __init__(self, project: Project, spec: FeatureSpec) -> None:
        self.project = project
        self.spec = spec
        self.name = spec.name
        self.package = project.package.snake
        self.module = project.feature_module(spec.name)
        feature = spec.name.snake
        self.workers = tuple(WorkerView(w, i == 0, feature) for i, w in enumerate(spec.workers))
        self.commands = tuple(
            CommandView(c, feature, tuple(w for w in self.workers if c.name in w.spec.handles))
            for c in spec.commands
        )
        self.periodic_workers = tuple(w for w in self.workers if w.spec.periodic)
        self._check_identifiers()

    def _check_identifiers(self) -> None:
        """Refuse specs whose generated names collide (`a0`/`a_0`, `Message`, `BillingState`)."""
        taken: dict[str, str] = {name: "a name the generated code imports" for name in _IMPORTED}
        names: list[tuple[str, str]] = [(c.cls, f"command {c.snake!r}") for c in self.commands]
        for worker in self.workers:
            what = f"worker {worker.spec.name.snake!r}"
            names += [(worker.state, what), (worker.factory, what), (worker.periodic, what)]
            names += [(worker.handler(c.spec), what) for c in self.handled(worker)]
        names += [(c.sample_function, f"command {c.snake!r}") for c in self.commands]
        for identifier, owner in names:
            if identifier in taken and taken[identifier] != owner:
                raise UserError(
                    f"{owner} and {taken[identifier]} would both use the name {identifier!r} "
                    f"in feature {self.name.snake!r}",
                    hint="rename one of them",
                )
            taken[identifier] = owner

    @property
    def description(self) -> str:
        return (self.spec.description or f"The {self.name.title.lower()} feature").rstrip(".")

    def handled(self, worker: WorkerView) -> list[CommandView]:
        """The commands `worker` handles, in the feature's order."""
        return [c for c in self.commands if worker in c.workers]

    def all_commands(self) -> str:
        """The `ALL_COMMANDS` tuple literal."""
        names = [c.cls for c in self.commands]
        return f"({names[0]},)" if len(names) == 1 else f"({', '.join(names)})"

    def _block(self, pairs: list[tuple[str, str | None]]) -> str:
        return import_block(pairs, self.package)

    def commands_imports(self) -> str:
        pairs: list[tuple[str, str | None]] = [(RUNTIME, "Command")]
        if self.commands:
            pairs.append(("dataclasses", "dataclass"))
        for command in self.spec.commands:
            for item in command.fields:
                pairs += [(m, n) for m, n in item.type.imports()]
                if item.type.is_list and item.default is not None and item.default != "None":
                    pairs.append(("dataclasses", "field"))
        return self._block(pairs)

    def worker_imports(self) -> str:
        pairs: list[tuple[str, str | None]] = [(RUNTIME, "CommandWorker")]
        for worker in self.workers:
            pairs.append((f"{self.module}.state", worker.state))
            if worker.spec.periodic:
                pairs.append((f"{self.module}.periodic", worker.periodic))
            for command in self.handled(worker):
                pairs.append((f"{self.module}.commands", command.cls))
                pairs.append((f"{self.module}.handlers", worker.handler(command.spec)))
        return self._block(pairs)

    def init_imports(self) -> str:
        pairs: list[tuple[str, str | None]] = [
            (RUNTIME, "App"),
            (f"{self.module}.commands", "ALL_COMMANDS"),
        ]
        pairs += [(f"{self.module}.worker", w.factory) for w in self.workers]
        return self._block(pairs)

    def handlers_imports(self) -> str:
        pairs: list[tuple[str, str | None]] = []
        for command in self.commands:
            for worker in command.workers:
                pairs += [(RUNTIME, "Message"), (RUNTIME, "WorkerContext")]
                pairs += [(f"{self.module}.commands", command.cls)]
                pairs += [(f"{self.module}.state", worker.state)]
        return self._block(pairs)

    def periodic_imports(self) -> str:
        pairs: list[tuple[str, str | None]] = [(RUNTIME, "WorkerContext")]
        pairs += [(f"{self.module}.state", w.state) for w in self.periodic_workers]
        return self._block(pairs)

    def test_imports(self) -> str:
        pairs: list[tuple[str, str | None]] = [
            ("collections.abc", "Callable"),
            ("typing", "Any"),
            ("pytest", None),
            (RUNTIME, "App"),
            (RUNTIME, "Message"),
            (RUNTIME, "WorkerContext"),
            (f"{RUNTIME}.testing", "make_test_app"),
            (f"{RUNTIME}.testing", "replay_state"),
            (f"{self.package}.features", self.name.snake),
            (self.module, "worker"),
        ]
        for command in self.spec.commands:
            pairs.append((f"{self.module}.commands", command.name.pascal))
            for item in command.fields:
                pairs += [(m, n) for m, n in item.type.imports()]
                if item.type.base == "datetime":
                    pairs.append(("datetime", "UTC"))
        return self._block(pairs)


def _field_line(item: FieldSpec) -> str:
    line = f"{item.name.snake}: {item.type.annotation}"
    default = item.default_expr
    return line if default is None else f"{line} = {default}"

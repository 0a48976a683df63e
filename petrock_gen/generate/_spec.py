"""The feature spec model and the SPEC grammar of `--command` and `FIELD:TYPE` arguments.

SPEC grammar (spaces are not allowed; quote the argument if your shell needs it):

    SPEC    := COMMAND [ ":" FIELD { "," FIELD } ]
    FIELD   := NAME ( "=" | ":" ) TYPE [ "?" ] [ "=" DEFAULT ]
    TYPE    := str | int | float | bool | Decimal | datetime | date | UUID | list[TYPE]

`?` makes a field optional (`T | None`, default None). DEFAULT is a literal of the type: `0`,
`2.5`, `true`, `1.50` (Decimal), text (str), `[]` (list) or `None` (optional).

    charge                                     a command without fields
    charge:invoice_id=str,amount_cents=int     two required fields
    charge:note=str?,tags=list[str]=[]         optional text, a list defaulting to empty
    refund:reason=str=duplicate,retry=bool=false
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from petrock_gen.errors import UserError
from petrock_gen.generate._names import CommandName, FeatureName, FieldName, WorkerName

__all__ = [
    "BASE_TYPES",
    "CommandSpec",
    "FeatureSpec",
    "FieldSpec",
    "FieldType",
    "WorkerSpec",
    "check_description",
    "check_unique_fields",
    "parse_command_spec",
    "parse_field",
    "parse_type",
]

BASE_TYPES = ("str", "int", "float", "bool", "Decimal", "datetime", "date", "UUID")
_ALIASES = {name.lower(): name for name in BASE_TYPES}
_TYPES_HINT = "types: str, int, float, bool, Decimal, datetime, date, UUID, list[T]; T? is optional"
_SAMPLES = {
    "str": '"example"',
    "int": "1",
    "float": "1.5",
    "bool": "True",
    "Decimal": 'Decimal("1.50")',
    "datetime": "datetime(2024, 1, 1, tzinfo=UTC)",
    "date": "date(2024, 1, 1)",
    "UUID": 'UUID("12345678-1234-5678-1234-567812345678")',
}
_STDLIB_IMPORTS = {
    "Decimal": ("decimal", "Decimal"),
    "datetime": ("datetime", "datetime"),
    "date": ("datetime", "date"),
    "UUID": ("uuid", "UUID"),
}


@dataclass(frozen=True)
class FieldType:
    """A field's type: a base type, maybe in a list, maybe optional (`T | None`)."""

    base: str
    is_list: bool = False
    optional: bool = False

    @property
    def annotation(self) -> str:
        """The Python annotation, e.g. `list[int] | None`."""
        inner = f"list[{self.base}]" if self.is_list else self.base
        return f"{inner} | None" if self.optional else inner

    @property
    def spec(self) -> str:
        """The SPEC spelling, e.g. `list[int]?`."""
        inner = f"list[{self.base}]" if self.is_list else self.base
        return f"{inner}?" if self.optional else inner

    def sample(self) -> str:
        """A Python expression of a valid example value (used by generated tests)."""
        value = _SAMPLES[self.base]
        return f"[{value}]" if self.is_list else value

    def imports(self) -> list[tuple[str, str]]:
        """`(module, name)` pairs the annotation needs."""
        return [_STDLIB_IMPORTS[self.base]] if self.base in _STDLIB_IMPORTS else []


@dataclass(frozen=True)
class FieldSpec:
    """One command field; `default` is the SPEC text of the default (None: required)."""

    name: FieldName
    type: FieldType
    default: str | None = None

    @property
    def default_expr(self) -> str | None:
        """The default as Python source (`field(default_factory=list)` for `[]`)."""
        if self.default is None:
            return "None" if self.type.optional else None
        return _default_expr(self.type, self.default)

    @property
    def spec(self) -> str:
        """The SPEC spelling, e.g. `amount_cents=int=0`."""
        text = f"{self.name.snake}={self.type.spec}"
        return text if self.default is None else f"{text}={self.default}"


@dataclass(frozen=True)
class CommandSpec:
    """A command of a feature: stored as `<feature>/<kebab>`, class `<Pascal>`."""

    name: CommandName
    fields: tuple[FieldSpec, ...] = ()
    description: str = ""

    @property
    def spec(self) -> str:
        """The SPEC spelling, e.g. `charge:invoice_id=str`."""
        if not self.fields:
            return self.name.snake
        return f"{self.name.snake}:{','.join(f.spec for f in self.fields)}"


@dataclass(frozen=True)
class WorkerSpec:
    """A worker of a feature: which commands it handles and whether it has periodic work."""

    name: WorkerName
    handles: tuple[CommandName, ...] = ()
    description: str = ""
    periodic: bool = True
    every: float = 5.0


@dataclass(frozen=True)
class FeatureSpec:
    """Everything a feature's files are rendered from; stored as `feature.toml` in its package.

    The first worker is the feature's main worker (named after the feature, `build_worker()`).
    """

    name: FeatureName
    description: str = ""
    commands: tuple[CommandSpec, ...] = ()
    workers: tuple[WorkerSpec, ...] = ()
    template_version: int = 1
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    def command(self, name: CommandName) -> CommandSpec | None:
        """The command called `name`, or None."""
        return next((c for c in self.commands if c.name == name), None)

    def worker(self, name: WorkerName) -> WorkerSpec | None:
        """The worker called `name`, or None."""
        return next((w for w in self.workers if w.name == name), None)

    @property
    def main_worker(self) -> WorkerSpec:
        """The feature's first worker (the one `build_worker()` builds)."""
        return self.workers[0]


def parse_type(text: str, *, where: str = "") -> FieldType:
    """Parse a TYPE of the SPEC grammar (`int`, `list[str]`, `Decimal?`)."""
    raw = text
    optional = text.endswith("?")
    text = text.removesuffix("?")
    is_list = False
    match = re.fullmatch(r"list\[(.*)\]", text)
    if match:
        is_list, text = True, match.group(1)
    base = _ALIASES.get(text.lower()) if text else None
    if base is None:
        place = f" in {where}" if where else ""
        raise UserError(f"unknown type {raw!r}{place}", hint=_TYPES_HINT)
    return FieldType(base, is_list, optional)


def parse_field(text: str, *, spec: str | None = None) -> FieldSpec:
    """Parse one FIELD (`amount_cents=int`, `amount_cents:int`, `note=str?`, `qty=int=1`)."""
    context = f"SPEC {spec!r}" if spec is not None else f"field {text!r}"
    match = re.fullmatch(r"([^=:]*)[=:]([^=]*)(?:=(.*))?", text)
    if not match or not match.group(1) or not match.group(2):
        raise UserError(
            f"malformed field {text!r} in {context}: expected NAME=TYPE",
            hint="for example 'amount_cents=int' or 'note=str?'",
        )
    name_text, type_text, default = match.groups()
    try:
        name = FieldName.parse(name_text)
    except UserError as error:
        raise UserError(f"{error.message} in {context}", error.hint) from None
    where = context if spec is None else f"field {text!r} of {context}"
    field_type = parse_type(type_text, where=where)
    if default is not None:
        try:
            _default_expr(field_type, default)
        except ValueError as error:
            raise UserError(
                f"bad default {default!r} of field {text!r} in {context}: {error}",
                hint="defaults: 0, 2.5, true/false, text, 1.50 (Decimal), [] (list), None (T?)",
            ) from None
    return FieldSpec(name, field_type, default)


def parse_command_spec(text: str) -> CommandSpec:
    """Parse a SPEC (`charge:invoice_id=str,amount_cents=int`); errors quote the bad part."""
    name_text, _, fields_text = text.partition(":")
    try:
        name = CommandName.parse(name_text)
    except UserError as error:
        raise UserError(f"{error.message} in SPEC {text!r}", error.hint) from None
    fields: list[FieldSpec] = []
    if _ or fields_text:
        if not fields_text:
            raise UserError(
                f"malformed SPEC {text!r}: no fields after ':'",
                hint="write 'charge' or 'charge:invoice_id=str'",
            )
        for part in fields_text.split(","):
            fields.append(parse_field(part, spec=text))
    check_unique_fields(fields, text)
    return CommandSpec(name, tuple(fields))


def check_unique_fields(fields: list[FieldSpec], where: str) -> None:
    """Refuse a field name used twice in one command."""
    seen: set[str] = set()
    for item in fields:
        if item.name.snake in seen:
            raise UserError(
                f"field {item.name.snake!r} appears twice in {where!r}",
                hint="give every field of a command a different name",
            )
        seen.add(item.name.snake)


def _default_expr(field_type: FieldType, text: str) -> str:
    if text == "None":
        if not field_type.optional:
            raise ValueError("None is only allowed for optional fields (add '?' to the type)")
        return "None"
    if field_type.is_list:
        if text != "[]":
            raise ValueError("a list field can only default to [] (empty)")
        return "field(default_factory=list)"
    return _scalar_default(field_type.base, text)


def _scalar_default(base: str, text: str) -> str:
    if base == "str":
        if '"' in text or "\\" in text:
            raise ValueError("text defaults cannot contain quotes or backslashes")
        return f'"{text}"'
    if base == "int":
        return str(int(text, 10))
    if base == "float":
        value = float(text)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("not a finite number")
        return repr(value)
    if base == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError("use true or false")
        return "True" if text.lower() == "true" else "False"
    if base == "Decimal":
        if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
            raise ValueError("use a decimal number such as 1.50")
        return f'Decimal("{text}")'
    raise ValueError(f"{base} fields cannot have a default (only None when optional)")


def check_description(text: str) -> None:
    """Refuse a description that cannot sit inside a docstring or string literal as written."""
    if not text.isprintable() or '"' in text or "\\" in text or len(text) > 200:
        raise UserError(
            f"invalid description {text!r}: use one line of at most 200 characters, "
            "without double quotes or backslashes",
            hint="for example --description 'Charges invoices'",
        )

"""`feature.toml`: read and write a feature's spec, the single source of truth of its files.

    # The spec of feature `billing`: petrock renders the feature's files from it.
    template_version = 1
    name = "billing"
    description = "Charges invoices"

    [[commands]]
    name = "charge"
    description = ""
    fields = [
        { name = "invoice_id", type = "str" },
        { name = "amount_cents", type = "int", default = "0" },
    ]

    [[workers]]
    name = "billing"
    description = "Charges invoices"
    handles = ["charge"]
    periodic = true
    every = 5.0

Field types and defaults use the SPEC spelling (`list[int]?`, `"1.50"`). Errors name file and line.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from petrock_gen.errors import UserError
from petrock_gen.generate._names import CommandName, FeatureName, WorkerName
from petrock_gen.generate._spec import (
    CommandSpec,
    FeatureSpec,
    FieldSpec,
    WorkerSpec,
    check_description,
    check_unique_fields,
    parse_field,
)

__all__ = ["dump_feature_spec", "load_feature_spec", "parse_feature_spec"]

_KNOWN_KEYS = {"template_version", "name", "description", "commands", "workers"}


def load_feature_spec(path: Path) -> FeatureSpec:
    """Read a `feature.toml`; `UserError` names the file and line of what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UserError(
            f"cannot read {path}: {error.strerror or error}", hint="is the feature there?"
        ) from None
    return parse_feature_spec(text, str(path))


def parse_feature_spec(text: str, source: str = "feature.toml") -> FeatureSpec:
    """Parse the text of a `feature.toml` (`source` names it in error messages)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _line_from_toml_error(str(error))
        raise UserError(
            f"{source}:{line}: not valid TOML: {error}", hint="fix the file or restore it from git"
        ) from None
    return _Reader(text, source).feature(data)


class _Reader:
    """Builds a FeatureSpec from parsed TOML, turning every problem into `file:line: message`."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source
        self.start = 0  # index of the line where the table being read starts

    def enter(self, header: str, index: int) -> None:
        """Point error lines into the `index`-th `header` table (e.g. `[[workers]]`)."""
        starts = [i for i, line in enumerate(self.lines) if line.strip() == header]
        self.start = starts[index] if index < len(starts) else 0

    def fail(self, message: str, needle: str = "") -> UserError:
        numbered = list(enumerate(self.lines, 1))[self.start :]
        line = next((i for i, t in numbered if needle and needle in t), self.start + 1)
        return UserError(f"{self.source}:{line}: {message}", hint="fix the spec, then run again")

    def get(self, table: dict[str, Any], key: str, kind: type, default: Any = None) -> Any:
        value = table.get(key, default)
        if value is None or (kind is float and isinstance(value, int | float)):
            return value
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(f"{key!r} must be a {kind.__name__}", f"{key} =")
        if key == "description" and isinstance(value, str):
            try:
                check_description(value)
            except UserError as error:
                raise self.fail(error.message, "description =") from None
        return value

    def name(self, cls: type[Any], text: Any, key: str) -> Any:
        if not isinstance(text, str):
            raise self.fail(f"{key} must be a string", f"{key} =")
        try:
            return cls.parse(text)
        except UserError as error:
            raise self.fail(error.message, json.dumps(text)) from None

    def feature(self, data: dict[str, Any]) -> FeatureSpec:
        unknown = sorted(set(data) - _KNOWN_KEYS)
        if unknown:
            raise self.fail(f"unknown key {unknown[0]!r}", f"{unknown[0]}")
        name = self.name(FeatureName, data.get("name"), "name")
        description = self.get(data, "description", str, "")
        version = self.get(data, "template_version", int, 1)
        commands: list[CommandSpec] = []
        for index, table in enumerate(self.get(data, "commands", list, [])):
            self.enter("[[commands]]", index)
            commands.append(self.command(table))
            self.unique([c.name.snake for c in commands], "command")
        workers: list[WorkerSpec] = []
        for index, table in enumerate(self.get(data, "workers", list, [])):
            self.enter("[[workers]]", index)
            workers.append(self.worker(table, {c.name for c in commands}))
            self.unique([w.name.snake for w in workers], "worker")
        self.start = 0
        if not workers:
            raise self.fail("a feature needs at least one [[workers]] table", "name =")
        return FeatureSpec(name, description, tuple(commands), tuple(workers), version)

    def command(self, table: Any) -> CommandSpec:
        if not isinstance(table, dict):
            raise self.fail("each [[commands]] entry must be a table", "commands")
        name = self.name(CommandName, table.get("name"), "name")
        fields: list[FieldSpec] = []
        for item in self.get(table, "fields", list, []):
            fields.append(self.field(item))
        try:
            check_unique_fields(fields, name.snake)
        except UserError as error:
            raise self.fail(error.message, f'"{fields[-1].name.snake}"') from None
        return CommandSpec(name, tuple(fields), self.get(table, "description", str, ""))

    def field(self, item: Any) -> FieldSpec:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise self.fail("each field must be a table like { name = ..., type = ... }", "fields")
        type_text = item.get("type")
        default = item.get("default")
        if not isinstance(type_text, str) or not (default is None or isinstance(default, str)):
            raise self.fail(f"field {item['name']!r}: type and default must be strings", "type")
        text = f"{item['name']}={type_text}" + ("" if default is None else f"={default}")
        try:
            return parse_field(text)
        except UserError as error:
            raise self.fail(error.message, json.dumps(item["name"])) from None

    def worker(self, table: Any, commands: set[CommandName]) -> WorkerSpec:
        if not isinstance(table, dict):
            raise self.fail("each [[workers]] entry must be a table", "workers")
        name = self.name(WorkerName, table.get("name"), "name")
        handles = tuple(
            self.name(CommandName, h, "handles") for h in self.get(table, "handles", list, [])
        )
        for handled in handles:
            if handled not in commands:
                raise self.fail(
                    f"worker {name.snake!r} handles {handled.snake!r}, which is not a command",
                    json.dumps(handled.snake),
                )
        every = self.get(table, "every", float, 5.0)
        if every <= 0:
            raise self.fail("'every' must be a positive number of seconds", "every =")
        return WorkerSpec(
            name=name,
            handles=handles,
            description=self.get(table, "description", str, ""),
            periodic=self.get(table, "periodic", bool, True),
            every=float(every),
        )

    def unique(self, names: list[str], kind: str) -> None:
        if names[-1] in names[:-1]:
            raise self.fail(f"{kind} {names[-1]!r} is defined twice", "name =")


def dump_feature_spec(spec: FeatureSpec) -> str:
    """The `feature.toml` text of `spec`: deterministic, readable, round-trips through `load`."""
    out = [
        f"# The spec of feature `{spec.name.snake}`: petrock renders the feature's files from it.",
        "# Change it with `petrock new command|worker`, or edit it and run `petrock regenerate`.",
        f"template_version = {spec.template_version}",
        f"name = {_str(spec.name.snake)}",
        f"description = {_str(spec.description)}",
    ]
    for command in spec.commands:
        out += ["", "[[commands]]", f"name = {_str(command.name.snake)}"]
        out.append(f"description = {_str(command.description)}")
        if command.fields:
            out.append("fields = [")
            out += [f"    {_field(f)}," for f in command.fields]
            out.append("]")
        else:
            out.append("fields = []")
    for worker in spec.workers:
        out += ["", "[[workers]]", f"name = {_str(worker.name.snake)}"]
        out.append(f"description = {_str(worker.description)}")
        out.append(f"handles = [{', '.join(_str(h.snake) for h in worker.handles)}]")
        out.append(f"periodic = {'true' if worker.periodic else 'false'}")
        out.append(f"every = {worker.every!r}")
    return "\n".join(out) + "\n"


def _field(item: FieldSpec) -> str:
    parts = [f"name = {_str(item.name.snake)}", f"type = {_str(item.type.spec)}"]
    if item.default is not None:
        parts.append(f"default = {_str(item.default)}")
    return "{ " + ", ".join(parts) + " }"


def _str(text: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes for the characters json emits.
    return json.dumps(text, ensure_ascii=False)


def _line_from_toml_error(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 1

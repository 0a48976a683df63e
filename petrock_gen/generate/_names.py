"""Name value objects: validated once, then offered in every case the templates need.

    >>> name = FeatureName.parse("order-lines")
    >>> name.snake, name.pascal, name.kebab, name.title
    ('order_lines', 'OrderLines', 'order-lines', 'Order lines')

Templates never change case themselves; they read `.snake`, `.pascal`, `.kebab` or `.title`.
"""

from __future__ import annotations

import builtins
import keyword
import re
import sys
from dataclasses import dataclass
from typing import ClassVar, Self

from petrock_gen.errors import UserError

__all__ = [
    "RESERVED_NAMES",
    "CommandName",
    "FeatureName",
    "FieldName",
    "Name",
    "PackageName",
    "WorkerName",
]

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)*")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_MAX_LENGTH = 40

# Names the generated code imports or defines; a feature, command or worker must not shadow them.
_GENERATED_NAMES = frozenset(
    {
        "app",
        "command",
        "commands",
        "conftest",
        "features",
        "handlers",
        "message",
        "periodic",
        "petrock",
        "petrock_gen",
        "registry",
        "runtime",
        "state",
        "test",
        "tests",
        "testing",
        "worker",
        "workers",
    }
)
RESERVED_NAMES: frozenset[str] = (
    frozenset(sys.stdlib_module_names) | frozenset(dir(builtins)) | _GENERATED_NAMES
)
# What a command's own fields must not be called: the Command API and dataclass machinery.
_COMMAND_ATTRIBUTES = frozenset({"command_name", "from_json", "to_json", "validate"})


@dataclass(frozen=True)
class Name:
    """A validated name in snake case, with its other spellings.

    `parse` accepts snake_case, kebab-case or CamelCase input and raises `UserError` (one line,
    with a hint) for anything that is not a plain, safe Python identifier.
    """

    snake: str
    kind: ClassVar[str] = "name"

    @classmethod
    def parse(cls, text: str) -> Self:
        """Validate `text` and return the name; `UserError` says what is wrong and how to fix it."""
        snake = _to_snake(cls._check_shape(text))
        cls._check_reserved(text, snake)
        return cls(snake)

    @classmethod
    def _check_shape(cls, text: str) -> str:
        if not text:
            raise UserError(f"the {cls.kind} name is empty", hint="give a name such as 'billing'")
        if "/" in text or "\\" in text or ".." in text or text.startswith("."):
            raise UserError(
                f"invalid {cls.kind} name {text!r}: names cannot contain path separators or '..'",
                hint="use a plain name such as 'billing'",
            )
        if not _WORD.fullmatch(text):
            raise UserError(
                f"invalid {cls.kind} name {text!r}: use letters, digits, '_' or '-', "
                "starting with a letter",
                hint="for example 'billing' or 'order_lines'",
            )
        if len(text) < 2:
            raise UserError(
                f"invalid {cls.kind} name {text!r}: use at least two characters",
                hint="for example 'billing' or 'order_lines'",
            )
        if len(text) > _MAX_LENGTH:
            raise UserError(
                f"invalid {cls.kind} name {text!r}: longer than {_MAX_LENGTH} characters",
                hint="choose a shorter name",
            )
        return text

    @classmethod
    def _check_reserved(cls, text: str, snake: str) -> None:
        if keyword.iskeyword(snake) or keyword.issoftkeyword(snake):
            raise UserError(
                f"invalid {cls.kind} name {text!r}: {snake!r} is a Python keyword",
                hint=f"choose another name, e.g. '{snake}_{cls.kind}' or 'my_{snake}'",
            )
        if snake in RESERVED_NAMES:
            raise UserError(
                f"invalid {cls.kind} name {text!r}: {snake!r} would shadow a standard library, "
                "builtin or petrock name",
                hint=f"choose another name, e.g. '{snake}_{cls.kind}' or 'my_{snake}'",
            )

    @property
    def pascal(self) -> str:
        """CamelCase: `order_lines` -> `OrderLines`."""
        return "".join(part.capitalize() for part in self.snake.split("_"))

    @property
    def kebab(self) -> str:
        """kebab-case: `order_lines` -> `order-lines` (used in command names)."""
        return self.snake.replace("_", "-")

    @property
    def title(self) -> str:
        """Human words: `order_lines` -> `Order lines`."""
        return self.snake.replace("_", " ").capitalize()

    def __str__(self) -> str:
        return self.snake


class FeatureName(Name):
    """A feature: a package under `<pkg>/features/`."""

    kind = "feature"


class CommandName(Name):
    """A command: class `<Pascal>`, stored as `<feature>/<kebab>`, handled by `handle_<snake>`."""

    kind = "command"


class WorkerName(Name):
    """A worker: `build_<snake>_worker()` and `<Pascal>State` (the feature's first worker is
    named after the feature and built by `build_worker()`)."""

    kind = "worker"


class FieldName(Name):
    """A command field; it may shadow builtins (`id`, `type`), not the Command API or keywords."""

    kind = "field"

    @classmethod
    def parse(cls, text: str) -> Self:
        """Validate a field name: a lowercase identifier, not a keyword, not a Command method."""
        if not re.fullmatch(r"[a-z][a-z0-9_]*", text) or len(text) > _MAX_LENGTH:
            raise UserError(
                f"invalid field name {text!r}: use lowercase letters, digits and '_', "
                "starting with a letter",
                hint="for example 'invoice_id'",
            )
        if text == "l":
            raise UserError(
                "invalid field name 'l': it reads like 1 (ruff refuses it)",
                hint="choose a descriptive name, e.g. 'length'",
            )
        if keyword.iskeyword(text) or keyword.issoftkeyword(text):
            raise UserError(
                f"invalid field name {text!r}: it is a Python keyword",
                hint=f"choose another name, e.g. '{text}_value'",
            )
        if text in _COMMAND_ATTRIBUTES:
            raise UserError(
                f"invalid field name {text!r}: it would hide the Command method of that name",
                hint=f"choose another name, e.g. '{text}_value'",
            )
        return cls(text)


class PackageName(Name):
    """The project's import package (`my-shop` -> `my_shop`)."""

    kind = "package"

    @property
    def distribution(self) -> str:
        """The distribution name in `pyproject.toml`: kebab-case."""
        return self.kebab


def _to_snake(text: str) -> str:
    return _CAMEL.sub("_", text).replace("-", "_").lower()

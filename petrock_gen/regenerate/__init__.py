"""Regeneration and inspection of a petrock project's features.

`regenerate(root, features, mode=...)` brings the named features (all by default) and the project
registry up to date with their specs and the templates, skipping features whose inputs did not
change; `inspect(root)` describes every feature and whether it is up to date;
`command_schemas(root)` gives the JSON Schema of every command.
"""

from __future__ import annotations

from petrock_gen.regenerate._fingerprint import template_version
from petrock_gen.regenerate._inspect import (
    CommandInfo,
    FeatureInfo,
    FieldInfo,
    ProjectInfo,
    WorkerInfo,
    inspect,
)
from petrock_gen.regenerate._report import REGISTRY, FeatureReport, Mode, RegenerateReport
from petrock_gen.regenerate._run import Progress, regenerate
from petrock_gen.regenerate._schemas import command_schemas

__all__ = [
    "REGISTRY",
    "CommandInfo",
    "FeatureInfo",
    "FeatureReport",
    "FieldInfo",
    "Mode",
    "Progress",
    "ProjectInfo",
    "RegenerateReport",
    "WorkerInfo",
    "command_schemas",
    "inspect",
    "regenerate",
    "template_version",
]

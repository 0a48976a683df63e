"""The generator: names, the SPEC grammar, feature specs, project discovery, rendering and the
`petrock new ...` operations.

Stable API used by `petrock regenerate` and `petrock inspect`:

    project = load_project(Path.cwd())                      # UserError outside a project
    spec = load_feature_spec(path_to_feature_toml)          # UserError names file:line
    files = render_feature(project, spec)                   # list[RenderedFile], deterministic
    registry = render_registry(project, project.load_features())

`feature.toml` is the single source of truth of a feature; `dump_feature_spec` writes it.
"""

from __future__ import annotations

from petrock_gen.generate._featurefile import (
    dump_feature_spec,
    load_feature_spec,
    parse_feature_spec,
)
from petrock_gen.generate._names import (
    CommandName,
    FeatureName,
    FieldName,
    Name,
    PackageName,
    WorkerName,
)
from petrock_gen.generate._ops import (
    Options,
    Outcome,
    new_command,
    new_feature,
    new_worker,
    plan_rows,
)
from petrock_gen.generate._project import Project, load_project
from petrock_gen.generate._render import (
    FEATURE_FILES,
    TEMPLATE_VERSION,
    format_python,
    render_feature,
    render_registry,
)
from petrock_gen.generate._scaffold import ProjectOutcome, new_project
from petrock_gen.generate._spec import (
    BASE_TYPES,
    CommandSpec,
    FeatureSpec,
    FieldSpec,
    FieldType,
    WorkerSpec,
    parse_command_spec,
    parse_field,
    parse_type,
)

__all__ = [
    "BASE_TYPES",
    "FEATURE_FILES",
    "TEMPLATE_VERSION",
    "CommandName",
    "CommandSpec",
    "FeatureName",
    "FeatureSpec",
    "FieldName",
    "FieldSpec",
    "FieldType",
    "Name",
    "Options",
    "Outcome",
    "PackageName",
    "Project",
    "ProjectOutcome",
    "WorkerName",
    "WorkerSpec",
    "dump_feature_spec",
    "format_python",
    "load_feature_spec",
    "load_project",
    "new_command",
    "new_feature",
    "new_project",
    "new_worker",
    "parse_command_spec",
    "parse_feature_spec",
    "parse_field",
    "parse_type",
    "plan_rows",
    "render_feature",
    "render_registry",
]

"""`petrock inspect --schema`: the JSON Schema of every command of a project, from its own classes.

The project's `commands.py` modules are imported in a child Python process (this interpreter, the
project's sources first on the path), so the schemas are those of the code as it is on disk now
(a long-running caller such as `petrock mcp` never sees a stale import) and the project's code
cannot disturb petrock's process. Each schema is `Command.json_schema()` of the runtime.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from petrock_gen.errors import UserError

__all__ = ["command_schemas"]

_SCRIPT = """
import importlib, json, sys
schemas = {}
for module in sys.argv[1:]:
    for command in importlib.import_module(module).ALL_COMMANDS:
        schemas[command.command_name()] = command.json_schema()
print(json.dumps(schemas))
"""


def command_schemas(root: Path) -> dict[str, dict[str, Any]]:
    """`{command name: JSON Schema}` of every command of every feature of the project at `root`,
    in feature order; `UserError` naming the error when a feature's commands cannot be imported."""
    from petrock_gen.generate import load_project

    project = load_project(root)
    modules = [f"{project.feature_module(name)}.commands" for name in project.feature_names()]
    if not modules:
        return {}
    path = [str(project.root / project.source), *filter(None, [os.environ.get("PYTHONPATH")])]
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, *modules],
        cwd=project.root,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(path)},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
        raise UserError(
            f"cannot import the project's commands to build their schemas: {last}",
            hint="fix the error in the feature's commands.py (run its tests to see it)",
        )
    schemas: dict[str, dict[str, Any]] = json.loads(result.stdout)
    return schemas

"""The MCP server over stdio: each tool of `Tools`, annotated read-only or destructive.

The `mcp` SDK is imported only here, inside the functions, so petrock works without the extra and
`petrock mcp` can say how to install it. Nothing but the protocol may reach stdout while serving:
the tools return their results and never print.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from petrock_gen import __version__
from petrock_gen.agent._tools import READ_ONLY, WRITING, Tools, bound
from petrock_gen.errors import PetrockError, UserError

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

__all__ = ["build_server", "serve"]

INSTALL_HINT = "pip install 'petrock-gen[mcp]'"
_INSTRUCTIONS = (
    "petrock generates and maintains a command-sourced Python app. Start with `inspect` and "
    "`command_schemas`; plan changes with the plan_*/regenerate_check/regenerate_diff/"
    "migrate_worker_diff tools (they write nothing), then apply them with new_feature, "
    "new_command, new_worker, regenerate or migrate_worker_apply. Writing tools refuse a dirty git "
    "tree (commit first, or pass allow_dirty) and return a status word per file. Command SPECs "
    "are NAME[:FIELD,...] with FIELD NAME=TYPE[?][=DEFAULT]; fields of new_command are "
    "NAME:TYPE[?][=DEFAULT]; types: str, int, float, bool, Decimal, datetime, date, UUID, list[T]."
)


def _require_sdk() -> None:
    try:
        import mcp.server.mcpserver  # noqa: F401
    except ImportError:
        raise UserError(
            "petrock mcp needs the MCP SDK, which is not installed", hint=INSTALL_HINT
        ) from None


def build_server(root: Path) -> MCPServer[Any]:
    """An MCP server offering every tool on the project at `root`."""
    _require_sdk()
    from mcp.server.mcpserver import MCPServer
    from mcp_types import ToolAnnotations

    server: MCPServer[Any] = MCPServer(
        "petrock", version=__version__, instructions=_INSTRUCTIONS, log_level="WARNING"
    )
    tools = Tools(root)
    for tool in (*READ_ONLY, *WRITING):
        annotations = ToolAnnotations(
            read_only_hint=tool.read_only,
            destructive_hint=not tool.read_only,
            idempotent_hint=tool.read_only,
            open_world_hint=False,
        )
        server.add_tool(_reported(bound(tools, tool)), name=tool.name, annotations=annotations)
    return server


def _reported(method: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """`method`, with petrock's errors turned into the tool errors the model reads."""
    from mcp.server.mcpserver.exceptions import ToolError

    @functools.wraps(method)
    def run(*args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return method(*args, **kwargs)
        except UserError as error:
            hint = f" (hint: {error.hint})" if error.hint else ""
            raise ToolError(f"{error.message}{hint}") from None
        except PetrockError as error:
            raise ToolError(str(error)) from None

    return run


def serve(root: Path) -> None:
    """Serve the tools on stdio until the client closes the connection."""
    build_server(root).run("stdio")

"""`petrock mcp`: petrock's generator, inspection, regeneration and migrator as MCP tools.

`Tools(root)` holds the tools as plain functions returning JSON-ready dicts (no MCP needed);
`serve(root)` offers them over stdio with the official `mcp` SDK (the `mcp` extra).
"""

from __future__ import annotations

from petrock_gen.agent._server import build_server, serve
from petrock_gen.agent._tools import READ_ONLY, WRITING, Tool, Tools

__all__ = ["READ_ONLY", "WRITING", "Tool", "Tools", "build_server", "serve"]

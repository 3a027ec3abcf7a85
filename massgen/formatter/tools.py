"""Canonical tool definitions (docs/CONTRACTS.md) -> each API's tool list.

Accepted input: {"name", "description", "parameters"}, Chat Completions style
{"type": "function", "function": {...}}, Responses style {"type": "function", "name", ...}, and
Claude style with "input_schema". Every tool comes out in every API, or the call fails naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from .errors import MessageFormatError
from .gemini_schema import Unconvertible, to_gemini_schema

APIS = ("chat_completions", "responses", "claude", "gemini")


@dataclass(frozen=True)
class ToolDef:
    """One tool in canonical form; `parameters` is a JSON Schema object."""

    name: str
    description: str
    parameters: dict[str, Any]


def format_tools(tools: Sequence[Mapping[str, Any]] | None, api: str) -> list[dict]:
    """The `tools` argument for `api` (one of APIS); an empty list when there are no tools."""
    builder = _BUILDERS.get(api)
    if builder is None:
        raise MessageFormatError("format_tools", f"api {api!r} is not one of {', '.join(APIS)}", "pass one of those")
    defs = [canonical_tool(tool, f"tools[{i}]") for i, tool in enumerate(tools or [])]
    if api == "gemini":
        return [{"function_declarations": [_gemini(d) for d in defs]}] if defs else []
    return [builder(d) for d in defs]


def canonical_tool(tool: Any, where: str) -> ToolDef:
    """Read one tool definition in any accepted style."""
    if not isinstance(tool, Mapping):
        raise MessageFormatError(where, f"is a {type(tool).__name__}", "give {'name', 'description', 'parameters'}")
    function = tool.get("function")
    body: Mapping[str, Any] = function if isinstance(function, Mapping) else tool
    name = body.get("name")
    if not isinstance(name, str) or not name:
        raise MessageFormatError(where, "a tool has no 'name'", "give every tool a non-empty name")
    params = body.get("parameters", body.get("input_schema"))
    if params is None:
        params = {"type": "object", "properties": {}}
    if not isinstance(params, Mapping) or params.get("type", "object") != "object":
        raise MessageFormatError(f"{where} ({name})", "'parameters' is not a JSON Schema object",
                                 "give a schema such as {'type': 'object', 'properties': {...}}")
    params = {"type": "object", **params}
    params.setdefault("properties", {})
    return ToolDef(name, str(body.get("description") or ""), params)


def _chat(tool: ToolDef) -> dict:
    return {"type": "function",
            "function": {"name": tool.name, "description": tool.description, "parameters": tool.parameters}}


def _responses(tool: ToolDef) -> dict:
    # The Responses API makes function tools strict unless told otherwise; canonical schemas are not strict.
    return {"type": "function", "name": tool.name, "description": tool.description,
            "parameters": tool.parameters, "strict": False}


def _claude(tool: ToolDef) -> dict:
    return {"name": tool.name, "description": tool.description, "input_schema": tool.parameters}


def _gemini(tool: ToolDef) -> dict:
    """A function declaration; schemas outside Gemini's Schema subset go as JSON Schema, unchanged."""
    decl: dict[str, Any] = {"name": tool.name, "description": tool.description}
    if not tool.parameters.get("properties") and set(tool.parameters) <= {"type", "properties"}:
        return decl
    try:
        decl["parameters"] = to_gemini_schema(tool.parameters)
    except Unconvertible:
        decl["parameters_json_schema"] = tool.parameters
    return decl


_BUILDERS: dict[str, Callable[[ToolDef], dict]] = {
    "chat_completions": _chat, "responses": _responses, "claude": _claude, "gemini": _gemini,
}

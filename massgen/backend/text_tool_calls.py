"""Tool calls for a CLI agent that cannot take our tool definitions: asked for in the system prompt,
answered as a fenced ```tool_call block at the end of the reply, turned into a canonical call here.

The Claude Code CLI runs only its own tools (and MCP servers); `new_answer` / `vote` reach it as text
through `--append-system-prompt`, and earlier calls and their results go back to it as text.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from massgen.formatter.tools import ToolDef, canonical_tool
from massgen.stream_chunk import BaseStreamChunk, ChunkType, TextStreamChunk

from .fenced_blocks import TAG, FencedBlocks
from .provider_turn import ProviderTurn

log = logging.getLogger("massgen.backend")

INSTRUCTIONS = f"""\
# Team tools
The tools below are not among your own tools (which you may still use first). To call one, end \
your reply with exactly one fenced block tagged {TAG}, holding one JSON object with the tool's name \
and its arguments:

```{TAG}
{{"name": "<tool name>", "arguments": {{<arguments matching the tool's schema>}}}}
```

The block must be valid JSON (write line breaks inside strings as \\n). Write nothing after it. \
Only the last {TAG} block of a reply counts. The tools:"""


class ToolBlockError(ValueError):
    """A ```tool_call block that names no offered tool or is not the JSON object asked for."""


@dataclass(frozen=True)
class TextTools:
    """The tools offered in one turn, by name."""

    tools: dict[str, ToolDef]

    @classmethod
    def of(cls, tools: Sequence[Mapping[str, Any]]) -> "TextTools":
        """From canonical (or Chat-Completions style) definitions; a bad one raises MessageFormatError."""
        defs = [canonical_tool(tool, f"tools[{i}]") for i, tool in enumerate(tools)]
        return cls({d.name: d for d in defs})

    def instructions(self) -> str:
        """The system prompt part that teaches the block and lists every tool with its JSON schema."""
        lines = [INSTRUCTIONS]
        for tool in self.tools.values():
            lines.append(f"- {tool.name}: {' '.join(tool.description.split())}".rstrip())
            lines.append(f"  arguments (JSON schema): {json.dumps(tool.parameters, ensure_ascii=False)}")
        return "\n".join(lines)

    def parse(self, body: str) -> dict[str, Any]:
        """A canonical call (new id) from one block's body, or ToolBlockError saying what is wrong."""
        try:
            value = json.loads(body)
        except json.JSONDecodeError as exc:
            raise ToolBlockError(f"the {TAG} block is not valid JSON ({exc.msg} at line {exc.lineno} "
                                 f"column {exc.colno})") from None
        if not isinstance(value, dict):
            raise ToolBlockError(f"the {TAG} block must hold a JSON object, not {_json_kind(value)}")
        name = value.get("name")
        if not isinstance(name, str) or name not in self.tools:
            offered = ", ".join(self.tools)
            raise ToolBlockError(f"the {TAG} block names no offered tool ({name!r}); use one of: {offered}")
        arguments = value.get("arguments", {k: v for k, v in value.items() if k != "name"})
        if isinstance(arguments, str):
            arguments = _json_object(arguments)
        if not isinstance(arguments, dict):
            raise ToolBlockError(f"the {TAG} block's \"arguments\" for {name} must be a JSON object, "
                                 f"not {_json_kind(arguments)}")
        return {"id": f"call_{uuid.uuid4().hex[:16]}", "name": name, "arguments": arguments}


class TextToolCalls:
    """One turn's filter: strips ```tool_call blocks from CONTENT and ends the turn with the last block's call."""

    def __init__(self, tools: TextTools, turn: ProviderTurn) -> None:
        self.tools = tools
        self.turn = turn
        self.blocks = FencedBlocks()
        self.problem: str | None = None

    def filter(self, chunk: BaseStreamChunk) -> list[BaseStreamChunk]:
        """A CONTENT chunk comes out as only its text outside blocks (none if all of it is inside one)."""
        if chunk.type != ChunkType.CONTENT or not getattr(chunk, "content", None):
            return [chunk]
        shown = self.blocks.feed(chunk.content)
        if not shown:
            return []
        chunk.content = shown
        return [chunk]

    def finish(self) -> list[BaseStreamChunk]:
        """The held-back text, then the call registered on the turn, or a BACKEND_STATUS saying why there is none."""
        out: list[BaseStreamChunk] = []
        rest = self.blocks.finish()
        if rest:
            out.append(TextStreamChunk(type=ChunkType.CONTENT, source=self.turn.source, content=rest))
        self.keep_visible_text()
        if not self.blocks.blocks:
            return out
        if len(self.blocks.blocks) > 1:
            log.info("%d %s blocks in one reply; the last one counts", len(self.blocks.blocks), TAG)
        try:
            if self.blocks.unterminated:
                raise ToolBlockError(f"the {TAG} block is not closed with ```")
            call = self.tools.parse(self.blocks.blocks[-1].strip())
        except ToolBlockError as exc:
            self.problem = str(exc)
            log.info("%s: %s", self.turn.source or "a CLI agent", exc)
            out.append(self.turn.status("tool_call_error", f"no tool call: {exc}"))
            return out
        self.turn.tools.add(call["id"], id=call["id"], name=call["name"])
        self.turn.tools.set_arguments(call["id"], call["arguments"])
        return out

    def keep_visible_text(self) -> None:
        """The turn's message keeps only the text shown (blocks become its tool_calls)."""
        visible = self.blocks.visible
        self.turn.text = [visible.rstrip() if self.blocks.blocks else visible]


def text_history(messages: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Messages with tool calls written back as ```tool_call blocks and tool results as user text."""
    out: list[dict[str, Any]] = []
    for message in messages:
        role = message.get("role")
        if role == "tool":
            out.append(_result_as_user(message))
        elif role == "assistant" and message.get("tool_calls"):
            out.append(_calls_as_text(message))
        else:
            out.append(dict(message))
    return out


def _result_as_user(message: Mapping[str, Any]) -> dict[str, Any]:
    name = message.get("name") or "the tool"
    head = f"Result of your {TAG} {name} (id {message.get('tool_call_id') or '?'}):"
    content = message.get("content")
    if isinstance(content, list):
        return {"role": "user", "content": [{"type": "text", "text": head}, *content]}
    return {"role": "user", "content": f"{head}\n{content or '(empty)'}"}


def _calls_as_text(message: Mapping[str, Any]) -> dict[str, Any]:
    blocks = "\n\n".join(_block(call) for call in message.get("tool_calls") or [] if isinstance(call, Mapping))
    content = message.get("content")
    kept = {k: v for k, v in message.items() if k != "tool_calls"}
    if isinstance(content, list):
        return {**kept, "content": [*content, {"type": "text", "text": blocks}]}
    return {**kept, "content": f"{content}\n\n{blocks}" if content else blocks}


def _block(call: Mapping[str, Any]) -> str:
    body = call.get("function") if isinstance(call.get("function"), Mapping) else call
    arguments = body.get("arguments")
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except json.JSONDecodeError:
            pass  # written back as the text it was
    payload = json.dumps({"name": body.get("name"), "arguments": arguments}, ensure_ascii=False)
    return f"```{TAG}\n{payload}\n```"


def _json_object(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _json_kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")

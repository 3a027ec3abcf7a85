"""Chunks that carry text: content deltas, reasoning, tool calls, status, errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .base import BaseStreamChunk, ChunkType
from .codec import decode_value, encode_value


def _tool_call_ok(call: Any) -> bool:
    """A tool call names its function (canonical `name`, or Chat Completions' `function.name`)."""
    if not isinstance(call, dict):
        return False
    name = call.get("name") or (call.get("function") or {}).get("name")
    return isinstance(name, str) and bool(name)


_STATUS_TYPES = {ChunkType.AGENT_STATUS, ChunkType.BACKEND_STATUS, ChunkType.TOOL_STATUS}


@dataclass
class TextStreamChunk(BaseStreamChunk):
    """Stream chunk for text-based content, tool calls, status and errors."""

    content: str | None = None
    tool_calls: list[dict[str, Any]] | None = None
    complete_message: dict[str, Any] | None = None
    response: dict[str, Any] | None = None
    error: str | None = None
    status: str | None = None
    reasoning_delta: str | None = None
    reasoning_text: str | None = None
    reasoning_summary_delta: str | None = None
    reasoning_summary_text: str | None = None
    item_id: str | None = None
    content_index: int | None = None
    summary_index: int | None = None

    kind: ClassVar[str] = "text"

    def to_dict(self) -> dict[str, Any]:
        """Non-None fields, enums as values; JSON-ready."""
        return encode_value(self._base_dict())

    @classmethod
    def from_fields(cls, data: dict[str, Any]) -> "TextStreamChunk":
        return cls(**decode_value(data))

    def validate(self) -> bool:
        """Each type needs its own field; media types do not belong in a text chunk."""
        t = self.type
        if t == ChunkType.CONTENT:
            return self.content is not None
        if t == ChunkType.TOOL_CALLS:
            return bool(self.tool_calls) and all(_tool_call_ok(c) for c in self.tool_calls or [])
        if t == ChunkType.COMPLETE_MESSAGE:
            return isinstance(self.complete_message, dict)
        if t == ChunkType.COMPLETE_RESPONSE:
            return isinstance(self.response, dict)
        if t == ChunkType.ERROR:
            return bool(self.error or self.content)
        if t == ChunkType.REASONING:
            return self.reasoning_delta is not None or self.reasoning_text is not None
        if t == ChunkType.REASONING_DONE:
            return self.reasoning_text is not None
        if t == ChunkType.REASONING_SUMMARY:
            return self.reasoning_summary_delta is not None
        if t == ChunkType.REASONING_SUMMARY_DONE:
            return self.reasoning_summary_text is not None
        if t in _STATUS_TYPES:
            return bool(self.status)
        if t == ChunkType.DONE:
            return True
        return False

    def __repr__(self) -> str:
        text = self.content if self.content is not None else self.reasoning_delta
        shown = f" {text[:50]!r}" if text else ""
        return f"<TextStreamChunk {self.type.value} from {self.source}{shown}>"

"""Internal messages -> OpenAI Responses API `input` items.

Shapes follow openai/types/responses/: input_text, input_image (detail is required), input_file (PDF),
function_call and function_call_output (whose output may carry images and files too). Assistant
messages go back as text; the Responses input has no audio or video part.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from massgen.media.limits import IMAGE_COMMON, PDF, BackendLimits
from massgen.media.kinds import MediaType

from .content import plain_text, read_items, read_tool_calls, render, role_of, tool_call_id
from .media_part import MediaPart
from .wire import Wire, resolve_limits

WIRE = Wire(
    "the Responses API",
    sources={
        MediaType.IMAGE: frozenset({"inline", "url", "file_id"}),
        MediaType.DOCUMENT: frozenset({"inline", "url", "file_id"}),
    },
    media_roles=frozenset({"user", "tool"}),
    inline_mime={MediaType.IMAGE: IMAGE_COMMON, MediaType.DOCUMENT: PDF},
)


def to_responses(messages: Sequence[Mapping[str, Any]], limits: BackendLimits | str | None = None) -> list[dict]:
    """The `input` list for responses.create; refused items become text notes."""
    lim = resolve_limits(limits)
    items: list[dict] = []
    for index, message in enumerate(messages):
        items.extend(_items(message, index, lim))
    return items


def _items(message: Mapping[str, Any], index: int, limits: BackendLimits | None) -> list[dict]:
    role = role_of(message, index)
    content = read_items(message, index)
    if role == "system":
        return [{"role": "system", "content": plain_text(content, role, WIRE)}]
    if role == "user":
        if isinstance(message.get("content"), str):
            return [{"role": "user", "content": message["content"]}]
        return [{"role": "user", "content": render(content, role, WIRE, limits, _text_part, _media_part)}]
    if role == "tool":
        return [{"type": "function_call_output", "call_id": tool_call_id(message, index),
                 "output": _tool_output(content, limits)}]
    text = plain_text(content, role, WIRE)
    out = [{"role": "assistant", "content": text}] if text else []
    out += [{"type": "function_call", "call_id": c.id, "name": c.name, "arguments": c.arguments_json()}
            for c in read_tool_calls(message, index)]
    return out


def _tool_output(content: list, limits: BackendLimits | None) -> str | list[dict]:
    """A plain string when the result is text only, else a list of input parts."""
    if all(isinstance(item, str) for item in content):
        return "\n".join(content)
    return render(content, "tool", WIRE, limits, _text_part, _media_part)


def _text_part(text: str) -> dict:
    return {"type": "input_text", "text": text}


def _media_part(media: MediaPart) -> dict:
    if media.kind is MediaType.IMAGE:
        part: dict[str, Any] = {"type": "input_image", "detail": "auto"}
        if media.source == "file_id":
            part["file_id"] = media.item.file_id
        else:
            part["image_url"] = media.item.url if media.source == "url" else media.data_url()
        return part
    if media.source == "file_id":
        return {"type": "input_file", "file_id": media.item.file_id}
    if media.source == "url":
        return {"type": "input_file", "file_url": media.item.url}
    return {"type": "input_file", "filename": media.item.filename or "document.pdf", "file_data": media.data_url()}

"""Internal messages -> Anthropic Messages `messages` plus the top-level `system` text.

Shapes follow anthropic/types/*_param.py: image and document blocks with base64, URL or file sources,
tool_use in assistant turns, tool_result (text, images, documents) in user turns. Every system message
is kept (joined in order). Consecutive same-role messages are merged, tool results first, as Claude
requires strictly alternating turns with results leading the user turn.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from massgen.media.limits import IMAGE_COMMON, PDF, BackendLimits
from massgen.media.kinds import MediaType

from .content import apart_from_system, plain_text, read_tool_calls, render, tool_call_id
from .media_part import MediaPart
from .wire import Wire, resolve_limits

WIRE = Wire(
    "Claude",
    sources={
        MediaType.IMAGE: frozenset({"inline", "url", "file_id"}),
        MediaType.DOCUMENT: frozenset({"inline", "url", "file_id"}),
    },
    media_roles=frozenset({"user", "tool"}),
    inline_mime={MediaType.IMAGE: IMAGE_COMMON, MediaType.DOCUMENT: PDF},
)

SYSTEM_SEPARATOR = "\n\n"


def to_claude(messages: Sequence[Mapping[str, Any]],
              limits: BackendLimits | str | None = None) -> tuple[list[dict], str]:
    """(messages, system) for messages.create; system is "" when there is none."""
    lim = resolve_limits(limits)
    system: list[str] = []
    turns: list[dict] = []
    for index, message, role, items in apart_from_system(messages, WIRE, system):
        blocks = _blocks(message, index, role, items, lim)
        if blocks:
            _append(turns, "assistant" if role == "assistant" else "user", blocks)
    return turns, SYSTEM_SEPARATOR.join(system)


def _blocks(message: Mapping[str, Any], index: int, role: str, items: list, limits: BackendLimits | None) -> list[dict]:
    if role == "tool":
        return [_tool_result(tool_call_id(message, index), items, limits)]
    if role == "user":
        return render(items, role, WIRE, limits, _text_block, _media_block)
    text = plain_text(items, role, WIRE)
    blocks = [_text_block(text)] if text else []
    blocks += [{"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments}
               for c in read_tool_calls(message, index)]
    return blocks


def _tool_result(call_id: str, items: list, limits: BackendLimits | None) -> dict:
    block: dict[str, Any] = {"type": "tool_result", "tool_use_id": call_id}
    if all(isinstance(item, str) for item in items):
        text = "\n".join(item for item in items if item)
        if text:
            block["content"] = text
    else:
        block["content"] = render(items, "tool", WIRE, limits, _text_block, _media_block)
    return block


def _append(turns: list[dict], role: str, blocks: list[dict]) -> None:
    """Add a turn, merging into the previous one of the same role with tool results kept in front."""
    if turns and turns[-1]["role"] == role:
        merged = turns[-1]["content"] + blocks
        turns[-1]["content"] = sorted(merged, key=lambda b: b["type"] != "tool_result")
        return
    turns.append({"role": role, "content": blocks})


def _text_block(text: str) -> dict:
    return {"type": "text", "text": text}


def _media_block(media: MediaPart) -> dict:
    block_type = "image" if media.kind is MediaType.IMAGE else "document"
    if media.source == "url":
        source: dict[str, Any] = {"type": "url", "url": media.item.url}
    elif media.source == "file_id":
        source = {"type": "file", "file_id": media.item.file_id}
    else:
        source = {"type": "base64", "media_type": media.mime, "data": media.base64()}
    block: dict[str, Any] = {"type": block_type, "source": source}
    if block_type == "document" and media.item.filename:
        block["title"] = media.item.filename
    return block

"""Internal messages -> OpenAI Chat Completions `messages` (also Grok, Azure and local compatible servers).

Shapes follow openai/types/chat/chat_completion_*_param.py: media only in user messages (image_url,
input_audio wav/mp3, file with a PDF data URL or file id); system, assistant and tool content is text.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from massgen.media.limits import AUDIO_WAV_MP3, IMAGE_COMMON, PDF, BackendLimits
from massgen.media.kinds import MediaType

from .content import plain_text, read_items, read_tool_calls, render, role_of, tool_call_id
from .media_part import MediaPart
from .wire import Wire, resolve_limits

WIRE = Wire(
    "Chat Completions",
    sources={
        MediaType.IMAGE: frozenset({"inline", "url"}),
        MediaType.AUDIO: frozenset({"inline"}),
        MediaType.DOCUMENT: frozenset({"inline", "file_id"}),
    },
    media_roles=frozenset({"user"}),
    inline_mime={MediaType.IMAGE: IMAGE_COMMON, MediaType.AUDIO: AUDIO_WAV_MP3, MediaType.DOCUMENT: PDF},
)

_AUDIO_FORMATS = {"audio/wav": "wav", "audio/x-wav": "wav", "audio/mpeg": "mp3"}


def to_chat_completions(messages: Sequence[Mapping[str, Any]], limits: BackendLimits | str | None = None) -> list[dict]:
    """The `messages` list for chat.completions.create; refused items become text notes."""
    lim = resolve_limits(limits)
    return [_message(m, i, lim) for i, m in enumerate(messages)]


def _message(message: Mapping[str, Any], index: int, limits: BackendLimits | None) -> dict:
    role = role_of(message, index)
    items = read_items(message, index)
    if role == "user":
        if isinstance(message.get("content"), str):
            return {"role": "user", "content": message["content"]}
        return {"role": "user", "content": render(items, role, WIRE, limits, _text_part, _media_part)}
    text = plain_text(items, role, WIRE)
    if role == "system":
        return {"role": "system", "content": text}
    if role == "tool":
        return {"role": "tool", "tool_call_id": tool_call_id(message, index), "content": text}
    out: dict[str, Any] = {"role": "assistant", "content": text}
    calls = read_tool_calls(message, index)
    if calls:
        out["content"] = text or None
        out["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments_json()}} for c in calls
        ]
    return out


def _text_part(text: str) -> dict:
    return {"type": "text", "text": text}


def _media_part(media: MediaPart) -> dict:
    if media.kind is MediaType.IMAGE:
        url = media.item.url if media.source == "url" else media.data_url()
        return {"type": "image_url", "image_url": {"url": url}}
    if media.kind is MediaType.AUDIO:
        return {"type": "input_audio", "input_audio": {"data": media.base64(), "format": _AUDIO_FORMATS[media.item.mime_type]}}
    if media.source == "file_id":
        return {"type": "file", "file": {"file_id": media.item.file_id}}
    return {"type": "file", "file": {"file_data": media.data_url(), "filename": media.item.filename or "document.pdf"}}

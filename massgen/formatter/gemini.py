"""Internal messages -> google-genai `contents` (dicts that types.Content.model_validate accepts).

Real parts, never a stringified prompt: text, inline_data (standard base64 text, which the SDK decodes
and sends as bytes), file_data (URI + MIME type), function_call and function_response. System text
goes to `system_instruction`; roles become "user" / "model"; consecutive same-role turns are merged,
so parallel tool results share one turn as Gemini expects. A "file_id" item must hold the Files API
URI (file.uri), and a tool call's optional "thought_signature" (Gemini 3) is passed back as given.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from massgen.media.limits import BackendLimits
from massgen.media.kinds import MediaType

from .content import apart_from_system, read_tool_calls, render, tool_call_id
from .errors import MessageFormatError
from .media_part import MediaPart
from .wire import Unsendable, Wire, resolve_limits

_ANY_SOURCE = frozenset({"inline", "url", "file_id"})
WIRE = Wire(
    "Gemini",
    sources={t: _ANY_SOURCE for t in (MediaType.IMAGE, MediaType.AUDIO, MediaType.VIDEO, MediaType.DOCUMENT)},
    media_roles=frozenset({"user", "assistant", "tool"}),
)


def to_gemini_request(messages: Sequence[Mapping[str, Any]],
                      limits: BackendLimits | str | None = None) -> tuple[list[dict], str | None]:
    """(contents, system_instruction or None) for models.generate_content(_stream)."""
    lim = resolve_limits(limits)
    system: list[str] = []
    contents: list[dict] = []
    names: dict[str, str] = {}
    for index, message, role, items in apart_from_system(messages, WIRE, system):
        parts = _parts(message, index, role, items, lim, names)
        if parts:
            _append(contents, "model" if role == "assistant" else "user", parts)
    return contents, ("\n\n".join(system) or None)


def to_gemini(messages: Sequence[Mapping[str, Any]], limits: BackendLimits | str | None = None) -> list[dict]:
    """Only the contents (what MessageFormatter.to_gemini_format returns); system text is in to_gemini_request."""
    return to_gemini_request(messages, limits)[0]


def _parts(message: Mapping[str, Any], index: int, role: str, items: list,
           limits: BackendLimits | None, names: dict[str, str]) -> list[dict]:
    if role == "tool":
        call_id = tool_call_id(message, index)
        text = "\n".join(item for item in items if isinstance(item, str))
        response = {"id": call_id, "name": _tool_name(message, index, call_id, names), "response": {"output": text}}
        media = [item for item in items if not isinstance(item, str)]
        return [{"function_response": response}, *render(media, role, WIRE, limits, _text_part, _media_part)]
    parts = render(items, role, WIRE, limits, _text_part, _media_part)
    if role == "assistant":
        for call in read_tool_calls(message, index):
            names[call.id] = call.name
            part: dict[str, Any] = {"function_call": {"id": call.id, "name": call.name, "args": call.arguments}}
            if call.extra.get("thought_signature") is not None:
                part["thought_signature"] = call.extra["thought_signature"]
            parts.append(part)
    return parts


def _tool_name(message: Mapping[str, Any], index: int, call_id: str, names: Mapping[str, str]) -> str:
    """Gemini matches results by function name: the message's own, else that of the call it answers."""
    name = message.get("name") or names.get(call_id)
    if not isinstance(name, str) or not name:
        raise MessageFormatError(f"messages[{index}]", f"tool result {call_id!r} has no 'name' and answers no earlier call",
                                 "set 'name' to the tool's name")
    return name


def _append(contents: list[dict], role: str, parts: list[dict]) -> None:
    if contents and contents[-1]["role"] == role:
        contents[-1]["parts"].extend(parts)
    else:
        contents.append({"role": role, "parts": parts})


def _text_part(text: str) -> dict:
    return {"text": text}


def _media_part(media: MediaPart) -> dict:
    if media.source == "inline":
        return {"inline_data": {"mime_type": media.mime, "data": media.base64()}}
    if not media.mime:
        raise Unsendable("Gemini needs the MIME type of media given by URL or file id; add 'mime_type' to the item")
    uri = media.item.url if media.source == "url" else media.item.file_id
    return {"file_data": {"mime_type": media.mime, "file_uri": uri}}

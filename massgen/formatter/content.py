"""Reading internal messages (docs/CONTRACTS.md): roles, content items and tool calls, checked once
with errors that name the message and item, so every converter sees the same clean view."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

from massgen.media.errors import MediaError

from .errors import MessageFormatError
from .media_part import MEDIA_KINDS, MediaPart, parse_media
from .wire import Unsendable, Wire, note, refusal

ROLES = ("system", "user", "assistant", "tool")
Part = TypeVar("Part")


@dataclass(frozen=True)
class ToolCall:
    """A canonical tool call with its arguments as a dict."""

    id: str
    name: str
    arguments: dict[str, Any]
    extra: Mapping[str, Any]

    def arguments_json(self) -> str:
        return json.dumps(self.arguments, ensure_ascii=False)


def role_of(message: Any, index: int) -> str:
    """The message's role, or a MessageFormatError naming it."""
    if not isinstance(message, Mapping):
        raise MessageFormatError(f"messages[{index}]", f"is a {type(message).__name__}, not a dict",
                                 "give each message as {'role': ..., 'content': ...}")
    role = message.get("role")
    if role not in ROLES:
        raise MessageFormatError(f"messages[{index}]", f"role {role!r} is not one of {', '.join(ROLES)}",
                                 "use one of those roles")
    return role


def read_items(message: Mapping[str, Any], index: int) -> list[str | MediaPart]:
    """The content as text strings and MediaPart items, in order; None content is empty."""
    content = message.get("content")
    if content is None:
        return []
    if isinstance(content, str):
        return [content]
    if not isinstance(content, list):
        raise MessageFormatError(f"messages[{index}].content", f"is {type(content).__name__}, not text or a list",
                                 "give a string or a list of items")
    return [_read_item(item, f"messages[{index}].content[{j}]") for j, item in enumerate(content)]


def _read_item(item: Any, where: str) -> str | MediaPart:
    kind = item.get("type") if isinstance(item, Mapping) else None
    if kind == "text":
        text = item.get("text")
        if not isinstance(text, str):
            raise MessageFormatError(where, "a text item has no string 'text'", "give the text as a string")
        return text
    if kind in MEDIA_KINDS:
        return parse_media(item, where)
    known = ", ".join(["text", *MEDIA_KINDS])
    raise MessageFormatError(where, f"item type {kind!r} is not one of {known}",
                             "use the internal item format of docs/CONTRACTS.md, not a provider's")


def apart_from_system(messages: Sequence[Mapping[str, Any]], wire: Wire,
                      system: list[str]) -> Iterator[tuple[int, Mapping[str, Any], str, list[str | MediaPart]]]:
    """Every message but the system ones, in order, as (index, message, role, items); the system messages'
    text (media there become notes) goes into `system`, for APIs that take the system prompt apart."""
    for index, message in enumerate(messages):
        role = role_of(message, index)
        items = read_items(message, index)
        if role != "system":
            yield index, message, role, items
            continue
        text = plain_text(items, role, wire)
        if text:
            system.append(text)


def render(items: Iterable[str | MediaPart], role: str, wire: Wire, limits: Any,
           text: Callable[[str], Part], media: Callable[[MediaPart], Part]) -> list[Part]:
    """Build each item with `text` or `media`; an item this API or backend refuses becomes a text note."""
    parts: list[Part] = []
    for item in items:
        if isinstance(item, str):
            if item:
                parts.append(text(item))
            continue
        reason = refusal(item, role, wire, limits)
        if reason is None:
            try:
                parts.append(media(item))
                continue
            except (Unsendable, MediaError) as exc:  # MediaError: the file changed or vanished since
                reason = str(exc)
        parts.append(text(note(item, reason)))
    return parts


def plain_text(items: Iterable[str | MediaPart], role: str, wire: Wire) -> str:
    """Text-only content (system prompts, where media cannot go): media become notes."""
    pieces = [item if isinstance(item, str) else note(item, refusal(item, role, wire, None) or
                                                       f"{wire.label} takes only text here") for item in items]
    return "\n".join(p for p in pieces if p)


def read_tool_calls(message: Mapping[str, Any], index: int) -> list[ToolCall]:
    """The assistant's canonical tool calls; arguments given as JSON text are parsed."""
    calls = message.get("tool_calls") or []
    if not isinstance(calls, list):
        raise MessageFormatError(f"messages[{index}].tool_calls", "is not a list", "give a list of tool calls")
    return [_tool_call(call, f"messages[{index}].tool_calls[{j}]") for j, call in enumerate(calls)]


def _tool_call(call: Any, where: str) -> ToolCall:
    if not isinstance(call, Mapping):
        raise MessageFormatError(where, f"is a {type(call).__name__}", "give {'id', 'name', 'arguments'}")
    call_id, name, args = call.get("id"), call.get("name"), call.get("arguments")
    if not isinstance(call_id, str) or not call_id or not isinstance(name, str) or not name:
        raise MessageFormatError(where, "a tool call needs a non-empty 'id' and 'name'",
                                 "use the canonical {'id', 'name', 'arguments'} shape")
    if args is None:
        args = {}
    elif isinstance(args, str):
        args = _parse_arguments(args, where)
    if not isinstance(args, dict):
        raise MessageFormatError(where, f"'arguments' is a {type(args).__name__}", "give the arguments as a dict")
    extra = {k: v for k, v in call.items() if k not in ("id", "name", "arguments")}
    return ToolCall(call_id, name, args, extra)


def _parse_arguments(text: str, where: str) -> Any:
    if not text.strip():
        return {}
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MessageFormatError(where, f"'arguments' is not valid JSON ({exc.msg} at {exc.pos})",
                                 "give the arguments as a dict") from None


def tool_call_id(message: Mapping[str, Any], index: int) -> str:
    """The tool message's `tool_call_id`, required by every provider."""
    call_id = message.get("tool_call_id")
    if not isinstance(call_id, str) or not call_id:
        raise MessageFormatError(f"messages[{index}]", "a tool message has no 'tool_call_id'",
                                 "set it to the id of the tool call it answers")
    return call_id

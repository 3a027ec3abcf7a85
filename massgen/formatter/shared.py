"""Give every path or base64 item of a conversation one MediaRef, so that all later conversions (one
per agent and provider) share one probe, one read and one encoding instead of each starting again."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from massgen.media.errors import MediaError

from .media_part import MEDIA_KINDS, SOURCE_KEYS


def share_media(messages: Sequence[Mapping[str, Any]]) -> list[dict]:
    """Shallow copies of the messages with "path" / "base64" items turned into "ref" items.

    Items that cannot be turned (a missing file, bad base64, two sources) are left as they are:
    the conversions then report them, as a note or an error.
    """
    return [_message(m) for m in messages]


def _message(message: Mapping[str, Any]) -> dict:
    content = message.get("content")
    if not isinstance(content, list):
        return dict(message)
    return {**message, "content": [_item(item) for item in content]}


def _item(item: Any) -> Any:
    if not isinstance(item, Mapping) or item.get("type") not in MEDIA_KINDS:
        return item
    sources = [k for k in SOURCE_KEYS if item.get(k) is not None]
    if sources not in (["path"], ["base64"]) or not isinstance(item[sources[0]], str):
        return item
    from massgen.media.ref import MediaRef

    mime = item.get("mime_type") if isinstance(item.get("mime_type"), str) else None
    try:
        if sources == ["path"]:
            ref = MediaRef.from_path(item["path"])
        elif mime or item["base64"].startswith("data:"):
            ref = MediaRef.from_base64(item["base64"], mime, item.get("filename"))
        else:
            return item
    except MediaError:
        return item
    kept = {k: v for k, v in item.items() if k not in ("path", "base64", "mime_type")}
    return {**kept, "ref": ref}

"""Media too large to go inline in a Gemini request go through its Files API instead.

Inline media are counted per request (Gemini's limit is on the whole request); the largest go up
first until the rest fits. Uploaded files are remembered, so a conversation sends each file once.
"""

from __future__ import annotations

import asyncio
import io
import time
from dataclasses import dataclass
from typing import Any, Iterator

from massgen.media.errors import MediaError
from massgen.media.limits import BackendLimits

_MEDIA = ("image", "audio", "video", "document")


@dataclass
class Pending:
    """One inline item of `messages[message].content[index]` and its size."""

    message: int
    index: int
    kind: str
    ref: Any
    size: int


def inline_items(messages: list[dict[str, Any]]) -> Iterator[Pending]:
    """Media items that would be sent inline: those holding a MediaRef to a path, bytes or base64."""
    for m, message in enumerate(messages):
        content = message.get("content")
        if not isinstance(content, list):
            continue
        for i, item in enumerate(content):
            ref = item.get("ref") if isinstance(item, dict) and item.get("type") in _MEDIA else None
            if ref is not None and getattr(ref, "kind", None) in ("path", "bytes", "base64"):
                yield Pending(m, i, item["type"], ref, int(ref.size_bytes or 0))


def to_upload(messages: list[dict[str, Any]], inline_max: int, limits: BackendLimits) -> list[Pending]:
    """The items to upload: each over its type's inline limit, then the largest others until what
    stays inline totals at most `inline_max` bytes. Items over the Files API limit stay (and are refused)."""
    chosen, kept = [], []
    for item in sorted(inline_items(messages), key=lambda p: p.size, reverse=True):
        limit = limits.limit(item.kind)
        if limit is None or (limit.upload_max_bytes and item.size > limit.upload_max_bytes):
            continue
        (chosen if limit.max_bytes and item.size > limit.max_bytes else kept).append(item)
    total = sum(p.size for p in kept)
    for item in kept:
        if total <= inline_max:
            break
        chosen.append(item)
        total -= item.size
    return chosen


class GeminiUploader:
    """Uploads through `client.aio.files` and waits until each file is ACTIVE."""

    def __init__(self, poll_interval: float = 1.0, active_timeout: float = 300.0) -> None:
        self.poll_interval = poll_interval
        self.active_timeout = active_timeout
        self._done: dict[tuple[Any, ...], tuple[str, str]] = {}

    async def upload(self, client: Any, item: Pending) -> dict[str, Any]:
        """A file_id item (URI + MIME type) replacing `item`'s inline media."""
        ref = item.ref
        key = (ref.kind, ref.path or id(ref), item.size)
        if key not in self._done:
            self._done[key] = await self._send(client, ref)
        uri, mime = self._done[key]
        return {"file_id": uri, "mime_type": mime, **({"filename": ref.filename} if ref.filename else {})}

    async def _send(self, client: Any, ref: Any) -> tuple[str, str]:
        source: Any = ref.path if ref.kind == "path" else io.BytesIO(ref.read_bytes())
        config = {"mime_type": ref.mime_type, **({"display_name": ref.filename} if ref.filename else {})}
        uploaded = await client.aio.files.upload(file=source, config=config)
        uploaded = await self._until_active(client, uploaded, ref)
        return uploaded.uri, uploaded.mime_type or ref.mime_type

    async def _until_active(self, client: Any, uploaded: Any, ref: Any) -> Any:
        deadline = time.monotonic() + self.active_timeout
        while _state(uploaded) == "PROCESSING":
            if time.monotonic() > deadline:
                raise MediaError(ref.name, f"was still being processed by Gemini after {self.active_timeout:g} s",
                                 "try again later, or send a shorter file")
            await asyncio.sleep(self.poll_interval)
            uploaded = await client.aio.files.get(name=uploaded.name)
        if _state(uploaded) not in ("ACTIVE", None):
            raise MediaError(ref.name, f"could not be processed by the Gemini Files API (state {_state(uploaded)})",
                             "check the file plays or opens, or convert it to a common format")
        return uploaded


def _state(uploaded: Any) -> str | None:
    state = getattr(uploaded, "state", None)
    return getattr(state, "name", state)


def replace_items(messages: list[dict[str, Any]],
                  replacements: dict[tuple[int, int], dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of `messages` with the items at (message, index) swapped for their uploaded form."""
    out = []
    for m, message in enumerate(messages):
        content = message.get("content")
        if isinstance(content, list) and any(key[0] == m for key in replacements):
            content = [{"type": item["type"], **replacements[(m, i)]} if (m, i) in replacements else item
                       for i, item in enumerate(content)]
            message = {**message, "content": content}
        out.append(message)
    return out

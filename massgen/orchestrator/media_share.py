"""Media between agents: an answer's media reach each agent as massgen.attachments prepares a user's
attachment for it (as is, fitted, or as a stand-in text), and otherwise as a note naming the file.

The work (probing, Pillow, pypdf) runs in a thread, and fitted copies live in the same PrepareCache
as the user's attachments, so nothing is fitted twice.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import asdict, dataclass
from typing import Any

from massgen.attachments import DEFAULT_CACHE, PrepareCache, decide, load_attachment
from massgen.attachments.prepare import Item, prepared_item
from massgen.media.errors import MediaError
from massgen.media.limits import BackendLimits
from massgen.media.verdict import human_size
from massgen.stream_chunk import MediaEncoding, MediaType, MultimodalStreamChunk


@dataclass(frozen=True)
class SharedMedia:
    """One media file an agent produced, saved on disk; continuation data travels with it."""

    path: str
    media_type: MediaType
    mime_type: str
    agent_id: str
    size_bytes: int | None = None
    width: int | None = None
    height: int | None = None
    continuation_id: str | None = None
    generator: str | None = None
    prompt: str | None = None
    media_id: str | None = None

    @property
    def filename(self) -> str:
        return os.path.basename(self.path)

    @classmethod
    def from_chunk(cls, chunk: MultimodalStreamChunk) -> "SharedMedia":
        """From a MEDIA chunk whose media is a local file (the session saves inline media first)."""
        if chunk.media_encoding != MediaEncoding.FILE_PATH:
            raise ValueError(f"media from {chunk.source} is {chunk.media_encoding}, not a saved file")
        meta = chunk.media_metadata
        return cls(str(chunk.media_data), chunk.media_type or MediaType.FILE,
                   meta.mime_type if meta else "application/octet-stream", chunk.source or "",
                   meta.size_bytes if meta else None, meta.width if meta else None, meta.height if meta else None,
                   meta.continuation_id if meta else None, meta.generator if meta else None,
                   meta.prompt if meta else None, chunk.media_id)

    def describe(self) -> str:
        """'cityscape.png (image/png, 512x512, 34 KB)'."""
        parts = [self.mime_type]
        if self.width and self.height:
            parts.append(f"{self.width}x{self.height}")
        if self.size_bytes is not None:
            parts.append(human_size(self.size_bytes))
        return f"{self.filename} ({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if v is not None}
        data["media_type"] = self.media_type.value
        return data


class MediaSharer:
    """Turns shared media into message items for one backend's limits, through the one prepare path."""

    def __init__(self, cache: PrepareCache | None = None) -> None:
        self.cache = cache or DEFAULT_CACHE

    async def items_for(self, limits: BackendLimits, label: str, media: list[SharedMedia]) -> list[Item]:
        """Items for one answer's media: the media (or its stand-in) where this backend takes it, else a note."""
        return [await asyncio.to_thread(shared_item, limits, label, item, self.cache) for item in media]


def shared_item(limits: BackendLimits, label: str, media: SharedMedia, cache: PrepareCache) -> Item:
    """One item for `media` as massgen.attachments decides it for this backend (blocking)."""
    decision = decide(load_attachment(media.path), limits.backend_type, limits)
    try:
        item = prepared_item(decision, limits, cache)
    except MediaError as exc:
        return note(label, media, str(exc))
    if item is not None:
        return item
    taken = limits.accepts(media.media_type)
    return note(label, media, decision.reason if taken else f"your model does not take {media.media_type.value} input")


def note(label: str, media: SharedMedia, why: str) -> Item:
    """The text that stands in for media an agent cannot receive: names the file and says why."""
    text = (f"[{label} attached {media.media_type.value} {media.describe()}, saved at {media.path}; "
            f"it is not shown to you: {why}]")
    return {"type": "text", "text": text}

"""Media between agents: an answer's media reach each agent as massgen.attachments prepares a user's
attachment for it (as is, fitted, or as a stand-in text), and otherwise as a note naming the file.

The work (probing, Pillow, pypdf) runs in a thread, and fitted copies live in the same PrepareCache
as the user's attachments, so nothing is fitted twice.
"""

from __future__ import annotations

import asyncio

from massgen.attachments import DEFAULT_CACHE, PrepareCache, decide, load_attachment
from massgen.attachments.prepare import Item, prepared_item
from massgen.media.errors import MediaError
from massgen.media.item import MediaItem
from massgen.media.limits import BackendLimits
from massgen.media.words import describe
from massgen.stream_chunk import MediaEncoding, MultimodalStreamChunk


def saved_media(chunk: MultimodalStreamChunk) -> MediaItem:
    """The item of a MEDIA chunk whose media is a saved file (the session saves inline media first);
    ValueError for a URL or provider file id, which are shown but not shared."""
    if chunk.media_encoding != MediaEncoding.FILE_PATH:
        raise ValueError(f"media from {chunk.source} is {chunk.media_encoding}, not a saved file")
    return chunk.item()


class MediaSharer:
    """Turns shared media into message items for one backend's limits, through the one prepare path."""

    def __init__(self, cache: PrepareCache | None = None) -> None:
        self.cache = cache or DEFAULT_CACHE

    async def items_for(self, limits: BackendLimits, label: str, media: list[MediaItem]) -> list[Item]:
        """Items for one answer's media: the media (or its stand-in) where this backend takes it, else a note."""
        return [await asyncio.to_thread(shared_item, limits, label, item, self.cache) for item in media]


def shared_item(limits: BackendLimits, label: str, media: MediaItem, cache: PrepareCache) -> Item:
    """One item for `media` as massgen.attachments decides it for this backend (blocking)."""
    decision = decide(load_attachment(media.path or ""), limits.backend_type, limits)
    try:
        item = prepared_item(decision, limits, cache)
    except MediaError as exc:
        return unshared_note(label, media, str(exc))
    if item is not None:
        return item
    why = decision.reason if limits.accepts(media.media_type) else f"your model does not take {media.media_type.value} input"
    return unshared_note(label, media, why)


def unshared_note(label: str, media: MediaItem, why: str) -> Item:
    """The text that stands in for media an agent cannot receive: names the file and says why."""
    text = (f"[{label} attached {media.media_type.value} {describe(media)}, saved at {media.path}; "
            f"it is not shown to you: {why}]")
    return {"type": "text", "text": text}

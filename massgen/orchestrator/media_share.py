"""Media between agents: an answer's images reach a vision agent fitted to its limits, and a text agent as a note.

Fitting runs Pillow, so it happens in a thread; fitted copies are kept in a small LRU so that a
long run does not refit (or hold) every image for every turn.
"""

from __future__ import annotations

import asyncio
import os
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from massgen.media.errors import MediaError
from massgen.media.limits import BackendLimits
from massgen.media.verdict import human_size
from massgen.stream_chunk import MediaEncoding, MediaType, MultimodalStreamChunk

FIT_CACHE_SIZE = 16


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
    """Turns shared media into message items for one backend's limits, caching fitted images."""

    def __init__(self, cache_size: int = FIT_CACHE_SIZE) -> None:
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._cache_size = cache_size

    async def items_for(self, limits: BackendLimits, label: str, media: list[SharedMedia]) -> list[dict[str, Any]]:
        """Items for one answer's media: the media itself where this backend takes it, else a note."""
        items = []
        for item in media:
            items.append(await self._item(limits, label, item))
        return items

    async def _item(self, limits: BackendLimits, label: str, media: SharedMedia) -> dict[str, Any]:
        if not limits.accepts(media.media_type):
            return note(label, media, f"your model does not take {media.media_type.value} input")
        try:
            ref = await self._ref_for(limits, media)
        except MediaError as exc:
            return note(label, media, str(exc))
        return {"type": media.media_type.value, "ref": ref, "filename": media.filename}

    async def _ref_for(self, limits: BackendLimits, media: SharedMedia) -> Any:
        key = (media.path, _mtime(media.path), limits.backend_type, limits.limit(media.media_type))
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        ref = await asyncio.to_thread(_prepare, limits, media)
        self._cache[key] = ref
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return ref


def _prepare(limits: BackendLimits, media: SharedMedia) -> Any:
    """A MediaRef this backend takes: the file itself, or a fitted copy (images); MediaError otherwise."""
    from massgen.media.fit import fit_image
    from massgen.media.ref import MediaRef
    from massgen.media.verdict import check_for_backend

    ref = MediaRef.from_path(media.path)
    verdict = check_for_backend(ref, limits)
    if verdict.action in ("as_is", "upload"):
        return ref
    if verdict.action == "fit":
        fitted = fit_image(ref, limits)
        if not fitted.changed:
            return ref
        stem = Path(media.filename).stem
        ext = fitted.mime_type.split("/", 1)[1].replace("jpeg", "jpg")
        return MediaRef.from_bytes(fitted.data, fitted.mime_type, filename=f"{stem}-fitted.{ext}")
    raise MediaError(media.filename, verdict.reason, "it is described in text instead")


def note(label: str, media: SharedMedia, why: str) -> dict[str, Any]:
    """The text that stands in for media an agent cannot receive: names the file and says why."""
    text = (f"[{label} attached {media.media_type.value} {media.describe()}, saved at {media.path}; "
            f"it is not shown to you: {why}]")
    return {"type": "text", "text": text}


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


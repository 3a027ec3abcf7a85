"""Chunks that carry media: generated or attached images, audio, video, documents, and their progress.

A MEDIA chunk carries one MediaItem: where the media is lives in `media_encoding` / `media_data`, whose
it is in `source` and `media_id`, and everything else the item says in `media_metadata`.
`chunk.item()` gives the whole item back; `MultimodalStreamChunk.for_item(item)` builds the chunk."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, ClassVar

from massgen.enums import coerce_enum
from massgen.media.item import MediaItem
from massgen.media.kinds import UNKNOWN_MIME, MediaType

from .base import BaseStreamChunk, ChunkType
from .codec import decode_value, encode_value

MediaMetadata = MediaItem  # the name chunks have always used for the item they carry


class MediaEncoding(Enum):
    """How `media_data` holds the media."""

    BASE64 = "base64"
    URL = "url"
    FILE_PATH = "file_path"
    FILE_ID = "file_id"
    BINARY = "binary"


_DATA_CHECKS = {
    MediaEncoding.BASE64: lambda d: isinstance(d, str) and len(d) % 4 == 0,
    MediaEncoding.URL: lambda d: isinstance(d, str) and d.split(":", 1)[0].lower() in {"http", "https", "data", "file"},
    MediaEncoding.FILE_PATH: lambda d: isinstance(d, (str, os.PathLike)) and bool(str(d)),
    MediaEncoding.FILE_ID: lambda d: isinstance(d, str) and bool(d),
    MediaEncoding.BINARY: lambda d: isinstance(d, (bytes, bytearray, memoryview)),
}


@dataclass
class MultimodalStreamChunk(BaseStreamChunk):
    """Stream chunk for media; `media_id` ties progress chunks to the media they end in."""

    text_content: str | None = None
    media_type: MediaType | None = None
    media_encoding: MediaEncoding | None = None
    media_data: Any | None = None
    media_metadata: MediaMetadata | None = None
    media_id: str | None = None
    attachments: list[dict[str, Any]] | None = None
    progress_percentage: float | None = None
    bytes_transferred: int | None = None
    total_bytes: int | None = None
    is_partial: bool = False
    chunk_index: int | None = None
    total_chunks: int | None = None

    kind: ClassVar[str] = "multimodal"

    def __post_init__(self) -> None:
        super().__post_init__()
        self.media_type = coerce_enum(MediaType, self.media_type, "media_type")
        self.media_encoding = coerce_enum(MediaEncoding, self.media_encoding, "media_encoding")
        if isinstance(self.media_metadata, dict):
            self.media_metadata = MediaItem.from_dict(self.media_metadata)
        if isinstance(self.media_data, os.PathLike):
            self.media_data = os.fspath(self.media_data)

    @classmethod
    def for_item(cls, item: MediaItem, type: ChunkType = ChunkType.MEDIA, **fields: Any) -> "MultimodalStreamChunk":
        """A chunk carrying `item`: its place becomes media_encoding/media_data, its agent the source."""
        fields.setdefault("source", item.agent)
        return cls(type=type, **fields).with_item(item)

    def with_item(self, item: MediaItem) -> "MultimodalStreamChunk":
        """This chunk (same type, source, time, text ...) carrying `item` instead."""
        encoding, data = _wire_place(item)
        described = replace(item, path=None, url=None, file_id=None, data=None, media_id=None, agent=None)
        return replace(self, media_type=item.media_type, media_id=item.media_id or self.media_id,
                       media_encoding=encoding, media_data=data, media_metadata=described)

    def item(self) -> MediaItem:
        """The media this chunk carries, whole: its metadata with where it is, whose and which it is.

        Base64 and data: URLs are decoded into `data` (a MediaError when they are not base64)."""
        meta = self.media_metadata or MediaItem(mime_type=UNKNOWN_MIME, media_type=self.media_type or MediaType.FILE)
        place = _item_place(self.media_encoding, self.media_data, meta.name)
        return replace(meta, media_type=self.media_type or meta.media_type, media_id=self.media_id or meta.media_id,
                       agent=self.source or meta.agent, **place)

    def to_dict(self) -> dict[str, Any]:
        """Non-None fields; enums as values, metadata as a dict, bytes as tagged base64."""
        out = self._base_dict()
        if self.media_metadata is not None:
            out["media_metadata"] = self.media_metadata.to_dict()
        return encode_value(out)

    @classmethod
    def from_fields(cls, data: dict[str, Any]) -> "MultimodalStreamChunk":
        return cls(**decode_value(data))

    def get_progress(self) -> float | None:
        """A percentage from whichever progress fields are set, most direct first."""
        if self.progress_percentage is not None:
            return float(self.progress_percentage)
        if self.bytes_transferred is not None and self.total_bytes:
            return min(100.0, 100.0 * self.bytes_transferred / self.total_bytes)
        if self.chunk_index is not None and self.total_chunks:
            return min(100.0, 100.0 * (self.chunk_index + 1) / self.total_chunks)
        if self.type == ChunkType.MEDIA and not self.is_partial:
            return 100.0
        return None

    def is_complete(self) -> bool:
        """A non-partial chunk is complete; a partial one when its last index arrives."""
        if not self.is_partial:
            return True
        return (
            self.chunk_index is not None
            and self.total_chunks is not None
            and self.chunk_index >= self.total_chunks - 1
        )

    def _counters_ok(self) -> bool:
        for value in (self.bytes_transferred, self.total_bytes, self.chunk_index, self.total_chunks):
            if value is not None and value < 0:
                return False
        if self.chunk_index is not None and self.total_chunks is not None:
            if self.chunk_index >= self.total_chunks:
                return False
        if self.bytes_transferred is not None and self.total_bytes is not None:
            if self.bytes_transferred > self.total_bytes:
                return False
        return self.media_metadata is None or self.media_metadata.is_consistent()

    def validate(self) -> bool:
        """Media needs type, encoding and data that fits the encoding; progress must lie in 0..100."""
        if not self._counters_ok():
            return False
        t = self.type
        if t == ChunkType.MEDIA:
            if self.media_type is None or self.media_encoding is None or self.media_data is None:
                return False
            return _DATA_CHECKS[self.media_encoding](self.media_data)
        if t == ChunkType.MEDIA_PROGRESS:
            progress = self.get_progress()
            return progress is not None and 0.0 <= progress <= 100.0
        if t == ChunkType.ATTACHMENT:
            return self.media_data is not None or bool(self.attachments)
        if t == ChunkType.ATTACHMENT_COMPLETE:
            return any(v is not None for v in (self.media_data, self.attachments, self.media_metadata, self.media_id))
        if t in (ChunkType.CONTENT, ChunkType.ERROR):
            return self.text_content is not None
        return t == ChunkType.DONE

    def __repr__(self) -> str:
        media = self.media_type.value if self.media_type else "-"
        return f"<MultimodalStreamChunk {self.type.value} {media} from {self.source} id={self.media_id}>"


def _wire_place(item: MediaItem) -> tuple[MediaEncoding | None, Any]:
    """(media_encoding, media_data) for where the item is."""
    if item.path is not None:
        return MediaEncoding.FILE_PATH, item.path
    if item.url is not None:
        return MediaEncoding.URL, item.url
    if item.file_id is not None:
        return MediaEncoding.FILE_ID, item.file_id
    if item.data is not None:
        return MediaEncoding.BINARY, item.data
    return None, None


def _item_place(encoding: MediaEncoding | None, data: Any, name: str) -> dict[str, Any]:
    """The item's place fields for a chunk's media_encoding/media_data (inline data decoded to bytes)."""
    from massgen.media.encode import decode_base64

    if data is None:
        return {}  # nothing on the wire: the metadata's own place, if any, stands
    place: dict[str, Any] = {"path": None, "url": None, "file_id": None, "data": None}
    if encoding == MediaEncoding.FILE_PATH:
        place["path"] = os.fspath(data)
    elif encoding == MediaEncoding.BASE64:
        place["data"] = decode_base64(str(data), name)
    elif encoding == MediaEncoding.BINARY or isinstance(data, (bytes, bytearray, memoryview)):
        place["data"] = bytes(data)
    elif encoding == MediaEncoding.FILE_ID:
        place["file_id"] = str(data)
    elif encoding == MediaEncoding.URL:
        place.update(_url_place(str(data), name))
    return place


def _url_place(url: str, name: str) -> dict[str, Any]:
    """A data: URL is its bytes, a file: URL its path, anything else stays a URL."""
    from urllib.parse import unquote_to_bytes, urlparse

    from massgen.media.encode import decode_base64

    parsed = urlparse(url)
    if parsed.scheme == "data":
        header, _, payload = url.partition(",")
        return {"data": decode_base64(url, name) if header.endswith(";base64") else unquote_to_bytes(payload)}
    if parsed.scheme == "file":
        return {"path": unquote_to_bytes(parsed.path).decode("utf-8", "surrogateescape")}
    return {"url": url}

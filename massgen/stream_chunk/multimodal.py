"""Chunks that carry media: generated or attached images, audio, video, documents, and their progress."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields
from enum import Enum
from typing import Any, ClassVar

from .base import BaseStreamChunk, ChunkType, coerce_enum
from .codec import decode_value, encode_value


class MediaType(Enum):
    """Kinds of media a chunk can carry."""

    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    FILE = "file"
    DOCUMENT = "document"


class MediaEncoding(Enum):
    """How `media_data` holds the media."""

    BASE64 = "base64"
    URL = "url"
    FILE_PATH = "file_path"
    FILE_ID = "file_id"
    BINARY = "binary"


@dataclass
class MediaMetadata:
    """What is known about one media item; `continuation_id` lets it be refined later."""

    mime_type: str
    size_bytes: int | None = None
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    filename: str | None = None
    checksum: str | None = None
    continuation_id: str | None = None
    generator: str | None = None
    prompt: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "MediaMetadata":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"media_metadata: unknown fields {sorted(unknown)}")
        return cls(**data)

    def is_consistent(self) -> bool:
        """Sizes are non-negative and dimensions positive where given."""
        if not isinstance(self.mime_type, str) or "/" not in self.mime_type:
            return False
        if self.size_bytes is not None and self.size_bytes < 0:
            return False
        for dim in (self.width, self.height):
            if dim is not None and dim <= 0:
                return False
        return self.duration_seconds is None or self.duration_seconds >= 0


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
            self.media_metadata = MediaMetadata.from_dict(self.media_metadata)
        if isinstance(self.media_data, os.PathLike):
            self.media_data = os.fspath(self.media_data)

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



"""massgen.stream_chunk: the one vocabulary of everything that streams."""

from massgen.media.item import MediaItem
from massgen.media.kinds import MediaType

from .base import BaseStreamChunk, ChunkType
from .multimodal import MediaEncoding, MediaMetadata, MultimodalStreamChunk
from .registry import chunk_from_dict
from .text import TextStreamChunk

__all__ = [
    "BaseStreamChunk",
    "ChunkType",
    "MediaEncoding",
    "MediaItem",
    "MediaMetadata",
    "MediaType",
    "MultimodalStreamChunk",
    "TextStreamChunk",
    "chunk_from_dict",
]

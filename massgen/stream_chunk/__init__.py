"""massgen.stream_chunk: the one vocabulary of everything that streams."""

from .base import BaseStreamChunk, ChunkType
from .multimodal import MediaEncoding, MediaMetadata, MediaType, MultimodalStreamChunk
from .registry import chunk_from_dict
from .text import TextStreamChunk

__all__ = [
    "BaseStreamChunk",
    "ChunkType",
    "MediaEncoding",
    "MediaMetadata",
    "MediaType",
    "MultimodalStreamChunk",
    "TextStreamChunk",
    "chunk_from_dict",
]

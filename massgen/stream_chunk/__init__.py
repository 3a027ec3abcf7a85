"""massgen.stream_chunk: the one vocabulary of everything that streams."""

from massgen.media.item import MediaItem
from massgen.media.kinds import MediaType

from .base import BaseStreamChunk, ChunkType
from .multimodal import MediaEncoding, MediaMetadata, MultimodalStreamChunk
from .reading import text_of
from .registry import chunk_from_dict
from .text import TextStreamChunk
from .words import ORCHESTRATOR, AgentStatus, ErrorCode

__all__ = [
    "ORCHESTRATOR",
    "AgentStatus",
    "BaseStreamChunk",
    "ChunkType",
    "ErrorCode",
    "MediaEncoding",
    "MediaItem",
    "MediaMetadata",
    "MediaType",
    "MultimodalStreamChunk",
    "TextStreamChunk",
    "chunk_from_dict",
    "text_of",
]

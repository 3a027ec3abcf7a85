"""Reading a chunk without knowing its class: the one place that knows which field holds its text."""

from __future__ import annotations

from .base import BaseStreamChunk
from .multimodal import MultimodalStreamChunk
from .text import TextStreamChunk


def text_of(chunk: BaseStreamChunk) -> str:
    """The human text a chunk carries (an ERROR's message, a delta, a progress line); "" when none."""
    if isinstance(chunk, TextStreamChunk):
        return chunk.error or chunk.content or ""
    if isinstance(chunk, MultimodalStreamChunk):
        return chunk.text_content or ""
    return ""

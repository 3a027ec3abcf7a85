"""Small helpers for the generation tests: gather a stream's chunks and pick out media and errors."""

from __future__ import annotations


async def collect(stream) -> list:
    """All chunks of a generate_media / tool stream."""
    return [chunk async for chunk in stream]


def media_chunks(chunks: list) -> list:
    return [c for c in chunks if c.type.value == "media"]


def error_texts(chunks: list) -> list[str]:
    return [c.text_content for c in chunks if c.type.value == "error"]

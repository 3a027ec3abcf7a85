"""Helpers for the refine tests: make an original image in a session, measure pixels, pick chunks."""

from __future__ import annotations

from typing import Any

from massgen.generation import ContinuationStore, generate_media
from massgen.session import Session
from massgen.stream_chunk import ChunkType, MultimodalStreamChunk

SMALL = "256x192"


async def original(session: Session, prompt: str = "a harbour at noon", *, source: str = "artist",
                   store: ContinuationStore | None = None, **settings: Any) -> MultimodalStreamChunk:
    """A demo image made as an agent's tool would make it, saved and indexed in the session."""
    settings.setdefault("size", SMALL)
    stream = generate_media(prompt, backend="demo", output_dir=session.media_dir,
                            store=store if store is not None else session.continuations, source=source, **settings)
    [media] = [c async for c in stream if c.type == ChunkType.MEDIA]
    return await session.persist_media(media)


async def gather(stream) -> list:
    return [chunk async for chunk in stream]


def media_of(chunks: list) -> list[MultimodalStreamChunk]:
    return [c for c in chunks if c.type == ChunkType.MEDIA]


def errors_of(chunks: list) -> list[str]:
    return [c.text_content for c in chunks if c.type == ChunkType.ERROR]


def brightness(path: Any) -> float:
    """Mean luminance (0..255) of an image file, from its pixels."""
    from PIL import Image, ImageStat

    with Image.open(path) as image:
        return ImageStat.Stat(image.convert("L")).mean[0]

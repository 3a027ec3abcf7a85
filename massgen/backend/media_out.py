"""Provider image output (bytes or base64) -> MEDIA / MEDIA_PROGRESS chunks carrying the image's MediaItem.

Type and dimensions come from massgen.media's header probe, never from what the provider claims.
"""

from __future__ import annotations

import base64
from dataclasses import replace

from massgen.media.encode import normalise_b64
from massgen.media.errors import MediaError
from massgen.media.item import MediaItem
from massgen.media.kinds import MediaType
from massgen.stream_chunk import ChunkType, MediaEncoding, MultimodalStreamChunk


def decoded(b64_text: str, what: str) -> tuple[str, bytes]:
    """(standard padded base64, its bytes) of a provider's base64 (possibly URL-safe or unpadded)."""
    text = normalise_b64(b64_text.strip(), what)
    return text, base64.b64decode(text)


def image_item(data: bytes, what: str) -> MediaItem:
    """MIME type, size and dimensions of image bytes, read from their headers."""
    from massgen.media.probe import probe_bytes

    info = probe_bytes(data, what)
    if info.media_type is not MediaType.IMAGE:
        raise MediaError(what, f"is {info.label or info.mime_type}, not an image", "the provider sent no usable image")
    return MediaItem(mime_type=info.mime_type, size_bytes=len(data), width=info.width, height=info.height)


def media_chunk(*, source: str | None, media_id: str, b64_text: str | None = None, data: bytes | None = None,
                continuation_id: str | None = None, generator: str | None = None,
                prompt: str | None = None) -> MultimodalStreamChunk:
    """The final image: base64 payload plus metadata; `continuation_id` lets it be refined later."""
    if data is not None:
        raw, text = data, base64.b64encode(data).decode("ascii")
    else:
        text, raw = decoded(b64_text or "", f"image {media_id}")
    meta = replace(image_item(raw, f"image {media_id}"), continuation_id=continuation_id, generator=generator,
                   prompt=prompt)
    return MultimodalStreamChunk(type=ChunkType.MEDIA, source=source, media_type=MediaType.IMAGE,
                                 media_encoding=MediaEncoding.BASE64, media_data=text, media_metadata=meta,
                                 media_id=media_id, text_content=f"image {meta.width}x{meta.height}")


def progress_chunk(*, source: str | None, media_id: str, b64_text: str, index: int,
                   total: int | None) -> MultimodalStreamChunk:
    """A partial image as a preview: chunk `index` of `total` (the final image counts as the last)."""
    text, raw = decoded(b64_text, f"partial image {media_id}")
    meta = image_item(raw, f"partial image {media_id}")
    total = total if total and total > index + 1 else index + 2
    return MultimodalStreamChunk(type=ChunkType.MEDIA_PROGRESS, source=source, media_type=MediaType.IMAGE,
                                 media_encoding=MediaEncoding.BASE64, media_data=text,
                                 media_metadata=meta, media_id=media_id, is_partial=True, chunk_index=index,
                                 total_chunks=total, text_content=f"preview {index + 1}")

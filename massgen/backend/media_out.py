"""Provider image output (bytes or base64) -> MEDIA / MEDIA_PROGRESS chunks with MediaMetadata.

Type and dimensions come from massgen.media's header probe, never from what the provider claims.
"""

from __future__ import annotations

import base64
import binascii

from massgen.media.errors import MediaError
from massgen.stream_chunk import ChunkType, MediaEncoding, MediaMetadata, MediaType, MultimodalStreamChunk


_URLSAFE = str.maketrans("-_", "+/")


def standard_b64(text: str) -> str:
    """Standard, padded base64 text from a provider's (possibly URL-safe or unpadded) base64."""
    text = text.strip().translate(_URLSAFE)
    return text + "=" * (-len(text) % 4)


def decode_b64(text: str, what: str) -> bytes:
    """Bytes of standard base64 text; MediaError naming `what` if it is not base64."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MediaError(what, f"is not valid base64 ({exc})", "the provider sent a broken image; try again") from None


def image_metadata(data: bytes, what: str) -> MediaMetadata:
    """MIME type, size and dimensions of image bytes, read from their headers."""
    from massgen.media.probe import probe_bytes

    info = probe_bytes(data, what)
    if info.media_type is not MediaType.IMAGE:
        raise MediaError(what, f"is {info.label or info.mime_type}, not an image", "the provider sent no usable image")
    return MediaMetadata(mime_type=info.mime_type, size_bytes=len(data), width=info.width, height=info.height)


def media_chunk(*, source: str | None, media_id: str, b64_text: str | None = None, data: bytes | None = None,
                continuation_id: str | None = None, generator: str | None = None,
                prompt: str | None = None) -> MultimodalStreamChunk:
    """The final image: base64 payload plus metadata; `continuation_id` lets it be refined later."""
    if data is not None:
        raw, text = data, base64.b64encode(data).decode("ascii")
    else:
        text = standard_b64(b64_text or "")
        raw = decode_b64(text, f"image {media_id}")
    meta = image_metadata(raw, f"image {media_id}")
    meta.continuation_id, meta.generator, meta.prompt = continuation_id, generator, prompt
    return MultimodalStreamChunk(type=ChunkType.MEDIA, source=source, media_type=MediaType.IMAGE,
                                 media_encoding=MediaEncoding.BASE64, media_data=text, media_metadata=meta,
                                 media_id=media_id, text_content=f"image {meta.width}x{meta.height}")


def progress_chunk(*, source: str | None, media_id: str, b64_text: str, index: int,
                   total: int | None) -> MultimodalStreamChunk:
    """A partial image as a preview: chunk `index` of `total` (the final image counts as the last)."""
    text = standard_b64(b64_text)
    raw = decode_b64(text, f"partial image {media_id}")
    meta = image_metadata(raw, f"partial image {media_id}")
    total = total if total and total > index + 1 else index + 2
    return MultimodalStreamChunk(type=ChunkType.MEDIA_PROGRESS, source=source, media_type=MediaType.IMAGE,
                                 media_encoding=MediaEncoding.BASE64, media_data=text,
                                 media_metadata=meta, media_id=media_id, is_partial=True, chunk_index=index,
                                 total_chunks=total, text_content=f"preview {index + 1}")

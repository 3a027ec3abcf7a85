"""The chunks generate_media yields: MEDIA_PROGRESS while working, MEDIA per result, ERROR per failure.

All three carry the same `media_id` for one piece of media, so a UI can tie a progress bar to the
result (or the failure) it ends in.
"""

from __future__ import annotations

from massgen.media.item import MediaItem
from massgen.media.kinds import MediaType
from massgen.stream_chunk import ChunkType, ErrorCode, MediaEncoding, MultimodalStreamChunk

from .job import Progress


def chunk_for_progress(source: str | None, media_type: MediaType, media_id: str, event: Progress) -> MultimodalStreamChunk:
    """MEDIA_PROGRESS; with a partial image when the provider sent one (base64 as received, not re-encoded)."""
    percent = 0.0 if event.percent is None else max(0.0, min(100.0, float(event.percent)))
    partial = event.partial_b64 is not None
    return MultimodalStreamChunk(
        type=ChunkType.MEDIA_PROGRESS,
        source=source,
        media_type=media_type,
        media_id=media_id,
        progress_percentage=percent,
        text_content=event.message or None,
        is_partial=partial,
        media_encoding=MediaEncoding.BASE64 if partial else None,
        media_data=event.partial_b64,
        media_metadata=MediaItem(mime_type=event.partial_mime or "image/png") if partial else None,
    )


def chunk_for_result(source: str | None, item: MediaItem) -> MultimodalStreamChunk:
    """MEDIA: the file on disk, with what it is and how to continue it."""
    text = f"{item.media_type.value} from {item.generator} ({item.model})"
    return MultimodalStreamChunk.for_item(item, source=source, progress_percentage=100.0, text_content=text)


def chunk_for_failure(source: str | None, media_type: MediaType, media_id: str, message: str,
                code: ErrorCode | None = None) -> MultimodalStreamChunk:
    """ERROR for one piece of media: the one-line reason (and, for code to act on, why); the batch goes on."""
    return MultimodalStreamChunk(type=ChunkType.ERROR, source=source, media_type=media_type, media_id=media_id,
                                 text_content=message, error_code=code)

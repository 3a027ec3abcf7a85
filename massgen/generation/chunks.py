"""The chunks generate_media yields: MEDIA_PROGRESS while working, MEDIA per result, ERROR per failure.

All three carry the same `media_id` for one piece of media, so a UI can tie a progress bar to the
result (or the failure) it ends in.
"""

from __future__ import annotations

from massgen.stream_chunk import ChunkType, ErrorCode, MediaEncoding, MediaMetadata, MediaType, MultimodalStreamChunk

from .config import GenerationResult
from .job import Progress


def progress_chunk(source: str | None, media_type: MediaType, media_id: str, event: Progress) -> MultimodalStreamChunk:
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
        media_metadata=MediaMetadata(mime_type=event.partial_mime or "image/png") if partial else None,
    )


def media_chunk(source: str | None, result: GenerationResult) -> MultimodalStreamChunk:
    """MEDIA: the file on disk, with what it is and how to continue it."""
    from pathlib import Path

    return MultimodalStreamChunk(
        type=ChunkType.MEDIA,
        source=source,
        media_type=result.media_type,
        media_id=result.media_id,
        media_encoding=MediaEncoding.FILE_PATH,
        media_data=result.path,
        progress_percentage=100.0,
        text_content=f"{result.media_type.value} from {result.backend} ({result.model})",
        media_metadata=MediaMetadata(
            mime_type=result.mime_type,
            size_bytes=result.size_bytes,
            width=result.width,
            height=result.height,
            duration_seconds=result.duration_seconds,
            filename=Path(result.path).name,
            continuation_id=result.continuation_id,
            generator=result.backend,
            prompt=result.prompt,
        ),
    )


def error_chunk(source: str | None, media_type: MediaType, media_id: str, message: str,
                code: ErrorCode | None = None) -> MultimodalStreamChunk:
    """ERROR for one piece of media: the one-line reason (and, for code to act on, why); the batch goes on."""
    return MultimodalStreamChunk(type=ChunkType.ERROR, source=source, media_type=media_type, media_id=media_id,
                                 text_content=message, error_code=code)

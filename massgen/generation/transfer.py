"""Streaming provider bytes to disk: downloads and streamed responses, never held whole in memory."""

from __future__ import annotations

import asyncio
import time
from typing import AsyncIterator, Union

from massgen.media.item import MediaItem
from massgen.media.kinds import MediaType

from .clients import check_status, http_client, http_errors
from .job import Job, Progress
from .output import MediaWriter

PROGRESS_EVERY = 0.25  # seconds between download progress reports


async def save_stream(job: Job, chunks: AsyncIterator[bytes], *, expected: MediaType | None = None,
                      fallback_ext: str | None = None, total: int | None = None, start: float = 90.0,
                      end: float = 99.0, label: str = "downloading") -> AsyncIterator[Union[Progress, MediaItem]]:
    """Write `chunks` to a temp file in the output folder; yields Progress, then the committed file's MediaItem."""
    writer = MediaWriter(job.output_dir, job.stem, expected or job.media_type, fallback_ext)
    last = 0.0
    try:
        async for chunk in chunks:
            writer.write(chunk)
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY:
                last = now
                share = writer.bytes_written / total if total else 0.0
                yield Progress(start + (end - start) * min(1.0, share), f"{label} {writer.bytes_written // 1024} KB")
        written = await asyncio.to_thread(writer.commit)
    except BaseException:
        writer.abort()
        raise
    yield written


async def download_to_file(job: Job, url: str, *, headers: dict[str, str] | None = None,
                           expected: MediaType | None = None) -> MediaItem:
    """Fetch a provider's result URL straight to disk (for progress, use `download_events`)."""
    written: MediaItem | None = None
    async for item in download_events(job, url, headers=headers, expected=expected):
        if isinstance(item, MediaItem):
            written = item
    assert written is not None
    return written


async def download_events(job: Job, url: str, *, headers: dict[str, str] | None = None,
                          expected: MediaType | None = None) -> AsyncIterator[Union[Progress, MediaItem]]:
    """Download `url` with progress; data: URLs are decoded instead of fetched."""
    if url.startswith("data:"):
        from .output import write_base64

        yield await write_base64(job.output_dir, job.stem, url, expected or job.media_type)
        return
    name = job.selection.name
    async with http_client(job, headers=headers, base_url="") as client:
        with http_errors(name, job.api_key):
            async with client.stream("GET", url) as response:
                await check_status(name, response, job.api_key)
                total = int(response.headers.get("content-length") or 0) or None
                async for item in save_stream(job, response.aiter_bytes(), expected=expected, total=total):
                    yield item

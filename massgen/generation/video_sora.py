"""OpenAI Sora videos: create (optionally from an image), poll with progress, stream the file to disk,
and remix a finished video by its id ("openai:video_..."; OpenAI keeps it, so it survives a restart).

The Sora API is deprecated in openai 3.x (announced shutdown 2026-09-24), so it comes last by priority.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

from massgen.media.item import MediaItem
from massgen.media.ref import MediaRef

from .clients import openai_client, openai_errors
from .errors import GenerationError
from .job import EventStream, Job, Output, Progress
from .polling import DEFAULT_INTERVAL, DEFAULT_TIMEOUT, poll
from .transfer import save_stream

SECONDS = (4, 8, 12)
SIZES = {"16:9": "1280x720", "9:16": "720x1280", "landscape": "1280x720", "portrait": "720x1280"}


def snap_seconds(duration: float | None) -> str:
    """Sora takes 4, 8 or 12 seconds: the nearest (4 when not given)."""
    if duration is None:
        return "4"
    return str(min(SECONDS, key=lambda s: (abs(s - duration), s)))


def video_size(job: Job) -> str:
    size = job.request.size
    if size and "x" in size:
        return size
    return SIZES.get(job.request.aspect_ratio or "16:9", "1280x720")


def _fit_reference(image: MediaRef, size: str) -> tuple[str, bytes, str]:
    """Sora wants the reference image exactly the video's size: crop-and-scale it (Pillow, in a thread)."""
    from PIL import Image, ImageOps

    width, height = (int(v) for v in size.split("x"))
    with Image.open(io.BytesIO(image.read_bytes())) as img:
        fitted = ImageOps.fit(img.convert("RGB"), (width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    fitted.save(buffer, format="PNG")
    return ("reference.png", buffer.getvalue(), "image/png")


def _remix_id(job: Job) -> str | None:
    if job.previous is not None:
        return job.previous.provider_ref
    token = (job.request.continue_from or "").partition(":")[2]
    return token or None


async def run(job: Job) -> EventStream:
    async with openai_client(job) as client:
        with openai_errors("openai", job.api_key):
            remix = _remix_id(job)
            if remix:
                yield Progress(2.0, "remixing")
                video = await client.videos.remix(remix, prompt=job.request.prompt)
            else:
                video = await client.videos.create(**await _create_params(job))
            yield Progress(5.0, f"{video.status}")
            async for item in poll(lambda: client.videos.retrieve(video.id), _finished, _describe, first=video,
                                   interval=job.seconds("poll_interval", DEFAULT_INTERVAL),
                                   timeout=job.seconds("poll_timeout", DEFAULT_TIMEOUT), what="openai video"):
                if isinstance(item, Progress):
                    yield item
                else:
                    video = item
            if video.status != "completed":
                detail = getattr(video.error, "message", None) or video.status
                raise GenerationError(f"openai: the video did not complete ({detail}); change the prompt and retry")
            written: MediaItem | None = None
            async with client.videos.with_streaming_response.download_content(video.id, variant="video") as response:
                total = int(response.headers.get("content-length") or 0) or None
                async for event in save_stream(job, response.iter_bytes(), total=total, label="downloading video"):
                    if isinstance(event, Progress):
                        yield event
                    else:
                        written = event
    assert written is not None
    cid = job.remember(written, provider_ref=video.id)
    yield Output(written, str(video.model or job.model), continuation_id=cid,
                 duration_seconds=float(video.seconds) if str(video.seconds).isdigit() else None)


async def _create_params(job: Job) -> dict[str, Any]:
    size = video_size(job)
    params: dict[str, Any] = {"model": job.model, "prompt": job.request.prompt,
                              "seconds": snap_seconds(job.request.duration), "size": size}
    if job.inputs:
        params["input_reference"] = await asyncio.to_thread(_fit_reference, job.inputs[0], size)
    return params


def _finished(video: Any) -> bool:
    return video.status not in ("queued", "in_progress")


def _describe(video: Any, elapsed: float) -> Progress:
    percent = float(video.progress or 0)
    return Progress(5.0 + 0.85 * percent, f"{video.status} {percent:.0f}% ({elapsed:.0f} s)")

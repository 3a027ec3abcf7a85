"""Google Veo videos: generate (from text or a first-frame image), poll the operation, save, extend.

Veo is Vertex-only in google-genai 3.x, so it runs in Vertex AI express mode with the Google key
(GOOGLE_VERTEX_BASE_URL or `vertex_base_url` points it elsewhere). The video comes back inline or as
an http(s) URI that is streamed to disk. Continuing extends the kept video file.
"""

from __future__ import annotations

import asyncio
from typing import Any

from massgen.media.item import MediaItem

from .clients import genai_client, genai_errors
from .errors import GenerationError
from .job import EventStream, Job, Output, Progress
from .output import write_bytes
from .polling import DEFAULT_TIMEOUT, estimated, poll
from .transfer import download_events

TYPICAL_SECONDS = 60.0


def veo_seconds(duration: float | None) -> int:
    """Veo makes 4 to 8 seconds (8 when not given)."""
    return 8 if duration is None else int(min(8, max(4, round(duration))))


async def run(job: Job) -> EventStream:
    from google.genai import types

    client = genai_client(job, vertex=True)  # referenced until done: it closes its pool when collected
    written: MediaItem | None = None
    try:
        with genai_errors("google", job.api_key):
            source, config = await _request(job, types)
            yield Progress(2.0, "extending" if "video" in source else "submitted")
            first = await client.aio.models.generate_videos(model=job.model, source=types.GenerateVideosSource(**source),
                                                            config=types.GenerateVideosConfig(**config))
            operation = first
            async for item in poll(lambda: client.aio.operations.get(first), lambda op: bool(op.done), _describe,
                                   first=first, interval=job.seconds("poll_interval", 10.0),
                                   timeout=job.seconds("poll_timeout", DEFAULT_TIMEOUT), what="google video"):
                if isinstance(item, Progress):
                    yield item
                else:
                    operation = item
            video = _video(operation)
            if video.video_bytes:
                written = await write_bytes(job.output_dir, job.stem, video.video_bytes, job.media_type)
            elif video.uri and video.uri.startswith(("http://", "https://")):
                async for event in download_events(job, video.uri, headers={"x-goog-api-key": job.api_key or ""}):
                    if isinstance(event, Progress):
                        yield event
                    else:
                        written = event
            else:
                raise GenerationError(f"google: the video was stored at {video.uri!r}, which cannot be fetched here")
    finally:
        await client.aio.aclose()
    assert written is not None
    yield Output(written, job.model, continuation_id=job.remember(written), duration_seconds=None)


async def _request(job: Job, types: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    req = job.request
    source: dict[str, Any] = {"prompt": req.prompt}
    config: dict[str, Any] = {"number_of_videos": 1, "duration_seconds": veo_seconds(req.duration)}
    previous = job.previous_path()
    if previous is not None:
        data = await asyncio.to_thread(previous.read_bytes)
        source["video"] = types.Video(video_bytes=data, mime_type="video/mp4")
        config["resolution"] = "720p"  # Veo extends 720p videos only
    elif job.inputs:
        first = job.inputs[0]
        source["image"] = types.Image(image_bytes=first.read_bytes(), mime_type=first.item.mime_type)
    if req.aspect_ratio in ("16:9", "9:16"):
        config["aspect_ratio"] = req.aspect_ratio
    if job.option("resolution") and "resolution" not in config:
        config["resolution"] = job.option("resolution")
    if req.negative_prompt:
        config["negative_prompt"] = req.negative_prompt
    if req.seed is not None:
        config["seed"] = req.seed
    return source, config


def _video(operation: Any) -> Any:
    if operation.error:
        message = operation.error.get("message") if isinstance(operation.error, dict) else operation.error
        raise GenerationError(f"google: the video failed ({message}); change the prompt and retry")
    result = operation.result or operation.response
    videos = getattr(result, "generated_videos", None) or []
    if not videos or videos[0].video is None:
        filtered = getattr(result, "rai_media_filtered_reasons", None)
        raise GenerationError(f"google: no video came back{f' (filtered: {filtered})' if filtered else ''}; rephrase")
    return videos[0].video


def _describe(operation: Any, elapsed: float) -> Progress:
    return Progress(5.0 + estimated(elapsed, TYPICAL_SECONDS), f"generating ({elapsed:.0f} s)")

"""Grok (xAI) videos: POST /videos/generations, poll GET /videos/{request_id}, stream the file to disk.

Continuing edits the kept video through /videos/edits with its URL (xAI's URLs are temporary, so an
old continuation may have expired; the error then says so).
"""

from __future__ import annotations

from typing import Any

from massgen.media.item import MediaItem

from .clients import openai_client, openai_errors
from .errors import GenerationError
from .job import EventStream, Job, Output, Progress
from .polling import DEFAULT_TIMEOUT, estimated, poll
from .transfer import download_events

TYPICAL_SECONDS = 45.0


def grok_seconds(duration: float | None) -> int:
    return 6 if duration is None else int(min(15, max(1, round(duration))))


async def run(job: Job) -> EventStream:
    written: MediaItem | None = None
    async with openai_client(job) as client:
        with openai_errors("grok", job.api_key):
            path, body = _request(job)
            created = await client.post(path, body=body, cast_to=dict)
            request_id = created.get("request_id") if isinstance(created, dict) else None
            if not request_id:
                raise GenerationError("grok: the video request was not accepted (no request_id); try again")
            yield Progress(3.0, "submitted")
            state: dict[str, Any] = {"status": "pending"}
            async for item in poll(lambda: client.get(f"/videos/{request_id}", cast_to=dict), _finished, _describe,
                                   first=state, interval=job.seconds("poll_interval", 5.0),
                                   timeout=job.seconds("poll_timeout", DEFAULT_TIMEOUT), what="grok video"):
                if isinstance(item, Progress):
                    yield item
                else:
                    state = item
    url = _url(state)
    async for event in download_events(job, url):
        if isinstance(event, Progress):
            yield event
        else:
            written = event
    assert written is not None
    duration = (state.get("video") or {}).get("duration")
    yield Output(written, state.get("model") or job.model,
                 continuation_id=job.remember(written, provider_ref=request_id, data={"url": url}),
                 duration_seconds=float(duration) if isinstance(duration, (int, float)) else None)


def _request(job: Job) -> tuple[str, dict[str, Any]]:
    req = job.request
    if job.previous is not None:
        url = job.previous.data.get("url")
        if not url:
            raise GenerationError(f"grok: {job.previous.id} keeps no video URL to edit; generate a new video")
        return "/videos/edits", {"model": job.model, "prompt": req.prompt, "video": {"url": url}}
    body: dict[str, Any] = {"model": job.model, "prompt": req.prompt, "duration": grok_seconds(req.duration)}
    if req.aspect_ratio:
        body["aspect_ratio"] = req.aspect_ratio
    if job.option("resolution"):
        body["resolution"] = job.option("resolution")
    if job.inputs:
        body["image"] = {"url": job.inputs[0].data_url()}
    return "/videos/generations", body


def _finished(state: dict[str, Any]) -> bool:
    return state.get("status") not in ("pending", "queued", "in_progress", "processing")


def _describe(state: dict[str, Any], elapsed: float) -> Progress:
    reported = state.get("progress")
    percent = float(reported) * 0.85 if isinstance(reported, (int, float)) else estimated(elapsed, TYPICAL_SECONDS)
    return Progress(5.0 + percent, f"generating ({elapsed:.0f} s)")


def _url(state: dict[str, Any]) -> str:
    status = state.get("status")
    url = (state.get("video") or {}).get("url")
    if status not in ("done", "completed", "succeeded") or not url:
        detail = (state.get("error") or {}).get("message") if isinstance(state.get("error"), dict) else state.get("error")
        raise GenerationError(f"grok: the video ended as {status!r}{f' ({detail})' if detail else ''}; try again")
    return url

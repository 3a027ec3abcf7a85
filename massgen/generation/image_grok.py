"""Grok (xAI) images: OpenAI-compatible generations; edits are JSON (xAI does not take multipart).

Continuing sends the kept image back as a data URL with the edit prompt.
"""

from __future__ import annotations

from typing import Any

from .clients import openai_client, openai_errors
from .errors import GenerationError
from .job import EventStream, Job, Output, Progress
from .output import write_base64


async def run(job: Job) -> EventStream:
    sources = await job.edit_sources()
    extra = _extra(job)
    yield Progress(5.0, "editing" if sources else "generating")
    async with openai_client(job) as client:
        with openai_errors("grok", job.api_key):
            if sources:
                from openai.types import ImagesResponse

                images = [{"url": s.data_url(), "type": "image_url"} for s in sources]
                body = {"model": job.model, "prompt": job.request.prompt, "response_format": "b64_json", **extra,
                        **({"image": images[0]} if len(images) == 1 else {"images": images})}
                response = await client.post("/images/edits", body=body, cast_to=ImagesResponse)
            else:
                response = await client.images.generate(model=job.model, prompt=job.request.prompt, n=1,
                                                        response_format="b64_json", extra_body=extra or None)
    if not response.data or not response.data[0].b64_json:
        raise GenerationError("grok: the response held no image (it may have been moderated); rephrase the prompt")
    written = await write_base64(job.output_dir, job.stem, response.data[0].b64_json, job.media_type)
    yield Output(written, job.model, continuation_id=job.remember(written),
                 revised_prompt=response.data[0].revised_prompt)


def _extra(job: Job) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if job.request.aspect_ratio:
        extra["aspect_ratio"] = job.request.aspect_ratio
    resolution = job.option("resolution") or {"1k": "1k", "2k": "2k"}.get((job.request.size or "").lower())
    if resolution:
        extra["resolution"] = resolution
    return extra

"""OpenAI images through the Responses API's image_generation tool, continued by previous_response_id.

The continuation id is "openai:<response id>": OpenAI keeps the thread, so it works after a restart
(as long as OpenAI keeps the response) even when the local store has forgotten it.
"""

from __future__ import annotations

from typing import Any

from . import registry
from .clients import openai_client, openai_errors
from .errors import GenerationError
from .job import EventStream, Job, Output, Progress
from .output import write_base64

DEFAULT_PARTIALS = 2


def _models(job: Job) -> tuple[str, str | None]:
    """(mainline model that runs the turn, image model for the tool or None for OpenAI's default)."""
    from .image_openai import IMAGE_MODEL_PREFIXES

    image_model = job.model if job.model.lower().startswith(IMAGE_MODEL_PREFIXES) else None
    mainline = job.option("responses_model") or (job.model if image_model is None else None)
    if mainline is None and job.previous is not None and job.previous.data.get("responses_model"):
        mainline = job.previous.data["responses_model"]
    return mainline or registry.BACKENDS["openai"].models["responses"], image_model


def _tool(job: Job, image_model: str | None) -> dict[str, Any]:
    tool: dict[str, Any] = {"type": "image_generation",
                            "partial_images": max(0, min(3, int(job.option("partial_images", DEFAULT_PARTIALS))))}
    req = job.request
    if image_model:
        tool["model"] = image_model
    if req.size:
        from .image_openai import openai_size

        tool["size"] = openai_size(req.size)
    for name, value in (("quality", req.quality), ("output_format", job.option("output_format")),
                        ("background", job.option("background")), ("moderation", job.option("moderation"))):
        if value is not None:
            tool[name] = value
    return tool


def _input(job: Job) -> str | list[dict[str, Any]]:
    if not job.inputs:
        return job.request.prompt
    content: list[dict[str, Any]] = [{"type": "input_text", "text": job.request.prompt}]
    content += [{"type": "input_image", "image_url": image.data_url()} for image in job.inputs]
    return [{"role": "user", "content": content}]


def _previous_id(job: Job) -> str | None:
    if job.previous is not None:
        return job.previous.provider_ref
    token = (job.request.continue_from or "").partition(":")[2]
    return token or None


async def run(job: Job) -> EventStream:
    mainline, image_model = _models(job)
    tool = _tool(job, image_model)
    params: dict[str, Any] = {"model": mainline, "input": _input(job), "tools": [tool],
                              "tool_choice": {"type": "image_generation"}, "stream": True}
    previous = _previous_id(job)
    if previous:
        params["previous_response_id"] = previous
    yield Progress(5.0, "asking for an image")
    final: str | None = None
    response_id: str | None = None
    revised: str | None = None
    seen = 0
    async with openai_client(job) as client:
        with openai_errors("openai", job.api_key):
            stream = await client.responses.create(**params)
            async for event in stream:
                kind = getattr(event, "type", "")
                if kind == "response.image_generation_call.partial_image":
                    seen += 1
                    yield Progress(10.0 + 80.0 * seen / (tool["partial_images"] + 1), f"partial image {seen}",
                                   partial_b64=event.partial_image_b64,
                                   partial_mime=f"image/{getattr(event, 'output_format', None) or 'png'}")
                elif kind == "response.output_item.done" and getattr(event.item, "type", "") == "image_generation_call":
                    final = event.item.result or final
                    revised = getattr(event.item, "revised_prompt", None) or revised
                elif kind in ("response.completed", "response.incomplete"):
                    response_id = event.response.id
                    final = final or _image_from(event.response)
                elif kind in ("response.failed", "error"):
                    raise GenerationError(f"openai: {_failure(event)}")
    if not final or not response_id:
        raise GenerationError("openai: the response held no image (it may have been refused); rephrase the prompt")
    written = await write_base64(job.output_dir, job.stem, final, job.media_type)
    cid = job.remember(written, provider_ref=response_id, data={"api": "responses", "responses_model": mainline},
                       model=image_model or mainline)
    yield Output(written, image_model or mainline, continuation_id=cid, revised_prompt=revised)


def _image_from(response: Any) -> str | None:
    for item in getattr(response, "output", None) or []:
        if getattr(item, "type", "") == "image_generation_call" and getattr(item, "result", None):
            return item.result
    return None


def _failure(event: Any) -> str:
    error = getattr(getattr(event, "response", None), "error", None) or event
    return str(getattr(error, "message", None) or getattr(error, "code", None) or "the response failed")

"""OpenAI images: the Images API (generate and edit, partial images streamed for GPT image models).

Continuing from an Images-API result edits the kept file (`images.edit`); continuing from a
Responses-API result ("openai:resp_...") goes to image_openai_responses, as does a non-image model
or `api: responses`.
"""

from __future__ import annotations

from typing import Any, AsyncIterator

from massgen.media.ref import MediaRef

from .clients import openai_client, openai_errors
from .errors import GenerationError, GenerationInputError
from .job import EventStream, Job, Output, Progress, file_tuple
from .output import write_base64
from .transfer import download_to_file

IMAGE_MODEL_PREFIXES = ("gpt-image", "dall-e", "chatgpt-image")
STREAMING_PREFIXES = ("gpt-image", "chatgpt-image")
DEFAULT_PARTIALS = 2


def uses_responses(job: Job) -> bool:
    """Whether this job goes through the Responses API's image_generation tool."""
    if job.option("api") == "responses":
        return True
    previous = job.previous
    if previous is not None:
        return previous.data.get("api") == "responses"
    token = (job.request.continue_from or "").partition(":")[2]
    return token.startswith("resp_") or not job.model.lower().startswith(IMAGE_MODEL_PREFIXES)


async def run(job: Job) -> EventStream:
    if uses_responses(job):
        from . import image_openai_responses

        async for event in image_openai_responses.run(job):
            yield event
        return
    sources = await job.edit_sources()
    async with openai_client(job) as client:
        with openai_errors("openai", job.api_key):
            if sources:
                events = _edit(client, job, sources)
            else:
                events = _generate(client, job)
            async for event in events:
                yield event


def _params(job: Job) -> dict[str, Any]:
    """The optional Images-API parameters this job sets."""
    req = job.request
    params: dict[str, Any] = {}
    if req.size:
        params["size"] = openai_size(req.size)
    for name, value in (("quality", req.quality), ("output_format", job.option("output_format")),
                        ("background", job.option("background")), ("moderation", job.option("moderation"))):
        if value is not None:
            params[name] = value
    if job.model.startswith("dall-e"):
        params["response_format"] = "b64_json"
        if job.option("style"):
            params["style"] = job.option("style")
    return params


def openai_size(size: str) -> str:
    """OpenAI takes WIDTHxHEIGHT or auto; '2K'-style sizes are Google's."""
    if "x" in size.lower() or size == "auto":
        return size.lower()
    raise GenerationInputError(f"size {size!r}: OpenAI takes WIDTHxHEIGHT (such as 1024x1024) or auto")


def _streaming(job: Job) -> int:
    """How many partial images to ask for (0: no streaming for this model)."""
    if not job.model.lower().startswith(STREAMING_PREFIXES):
        return 0
    return max(0, min(3, int(job.option("partial_images", DEFAULT_PARTIALS))))


async def _generate(client: Any, job: Job) -> EventStream:
    params = {"model": job.model, "prompt": job.request.prompt, "n": 1, **_params(job)}
    partials = _streaming(job)
    yield Progress(5.0, "generating")
    if partials:
        stream = await client.images.generate(**params, stream=True, partial_images=partials)
        async for event in _streamed(stream, job, partials, "image_generation"):
            yield event
        return
    response = await client.images.generate(**params)
    async for event in _from_response(client, response, job):
        yield event


async def _edit(client: Any, job: Job, sources: list[MediaRef]) -> EventStream:
    files = [file_tuple(s) for s in sources]
    params = {"model": job.model, "prompt": job.request.prompt, "image": files if len(files) > 1 else files[0],
              **_params(job)}
    params.pop("style", None)
    partials = _streaming(job)
    yield Progress(5.0, f"editing {len(files)} image{'s' if len(files) > 1 else ''}")
    if partials:
        stream = await client.images.edit(**params, stream=True, partial_images=partials)
        async for event in _streamed(stream, job, partials, "image_edit"):
            yield event
        return
    response = await client.images.edit(**params)
    async for event in _from_response(client, response, job):
        yield event


async def _streamed(stream: AsyncIterator[Any], job: Job, partials: int, prefix: str) -> EventStream:
    """Partial images as Progress, then the completed image as the Output."""
    final: str | None = None
    seen = 0
    async for event in stream:
        kind = getattr(event, "type", "")
        if kind == f"{prefix}.partial_image":
            seen += 1
            yield Progress(10.0 + 80.0 * seen / (partials + 1), f"partial image {seen}/{partials}",
                           partial_b64=event.b64_json, partial_mime=f"image/{event.output_format or 'png'}")
        elif kind == f"{prefix}.completed":
            final = event.b64_json
    if not final:
        raise GenerationError("openai: the image stream ended without an image; try again")
    written = await write_base64(job.output_dir, job.stem, final, job.media_type)
    yield Output(written, job.model, continuation_id=job.remember(written, data={"api": "images"}))


async def _from_response(client: Any, response: Any, job: Job) -> EventStream:
    if not response.data:
        raise GenerationError("openai: the response held no image (it may have been refused); rephrase the prompt")
    item = response.data[0]
    if item.b64_json:
        written = await write_base64(job.output_dir, job.stem, item.b64_json, job.media_type)
    elif item.url:
        written = await download_to_file(job, item.url)
    else:
        raise GenerationError("openai: the response held neither image data nor a URL")
    yield Output(written, job.model, continuation_id=job.remember(written, data={"api": "images"}),
                 revised_prompt=item.revised_prompt)

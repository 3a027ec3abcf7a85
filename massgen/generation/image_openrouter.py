"""OpenRouter images: chat completions with modalities ["image", "text"]; the image comes back in
`message.images` as a data URL (or a URL to fetch). Continuing sends the kept image back."""

from __future__ import annotations

from typing import Any

from .clients import openai_client, openai_errors
from .errors import GenerationError
from .job import EventStream, Job, Output, Progress
from .transfer import download_to_file

HEADERS = {"HTTP-Referer": "https://github.com/massgen/massgen-tui", "X-Title": "massgen-tui"}


async def run(job: Job) -> EventStream:
    sources = await job.edit_sources()
    content: list[dict[str, Any]] = [{"type": "text", "text": job.request.prompt}]
    content += [{"type": "image_url", "image_url": {"url": s.data_url()}} for s in sources]
    extra: dict[str, Any] = {"modalities": ["image", "text"]}
    if job.request.aspect_ratio:
        extra["image_config"] = {"aspect_ratio": job.request.aspect_ratio}
    yield Progress(5.0, "editing" if sources else "generating")
    async with openai_client(job, headers=HEADERS) as client:
        with openai_errors("openrouter", job.api_key):
            messages: list[Any] = [{"role": "user", "content": content}]  # OpenRouter's multimodal user message
            response = await client.chat.completions.create(model=job.model, messages=messages, extra_body=extra)
    url = _image_url(response)
    written = await download_to_file(job, url)
    yield Output(written, job.model, continuation_id=job.remember(written))


def _image_url(response: Any) -> str:
    """The first image of the reply: `message.images[i].image_url.url` (OpenRouter's extension)."""
    for choice in response.choices or []:
        images = (choice.message.model_extra or {}).get("images") or []
        for image in images:
            url = (image.get("image_url") or {}).get("url") if isinstance(image, dict) else None
            if url:
                return url
    said = next((c.message.content for c in response.choices or [] if c.message.content), "")
    raise GenerationError(f"openrouter: no image in the reply{': ' + said[:160] if said else ''}; "
                          "check that the model makes images")

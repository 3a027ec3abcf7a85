"""Google images: Gemini image models through a chat with the IMAGE response modality, and Imagen.

Gemini runs on the Gemini API key. Imagen generate/edit are Vertex-only in google-genai 3.x, so
they use Vertex AI express mode with the same key (GOOGLE_VERTEX_BASE_URL or `vertex_base_url`
points it at another server). Continuing sends the kept image back with the edit prompt, so it
works after a restart (no live chat object is kept).
"""

from __future__ import annotations

from typing import Any

from massgen.media.ref import MediaRef

from . import registry
from .clients import genai_client, genai_errors
from .errors import GenerationError
from .job import EventStream, Job, Output, Progress
from .output import write_bytes

_GEMINI_SIZES = {"1k": "1K", "2k": "2K", "4k": "4K", "512": "512"}


async def run(job: Job) -> EventStream:
    sources = await job.edit_sources()
    imagen = job.model.lower().startswith("imagen")
    client = genai_client(job, vertex=imagen)  # kept referenced until done: it closes its pool when collected
    try:
        with genai_errors("google", job.api_key):
            yield Progress(5.0, "editing" if sources else "generating")
            if imagen:
                data, mime, used = await (_imagen_edit(client, job, sources) if sources else _imagen(client, job))
            else:
                data, mime, used = await _gemini(client, job, sources)
    finally:
        await client.aio.aclose()
    written = await write_bytes(job.output_dir, job.stem, data, job.media_type)
    yield Output(written, used, continuation_id=job.remember(written, model=used))


async def _gemini(client: Any, job: Job, sources: list[MediaRef]) -> tuple[bytes, str, str]:
    from google.genai import types

    image_config: dict[str, Any] = {}
    if job.request.aspect_ratio and job.request.aspect_ratio != "auto":
        image_config["aspect_ratio"] = job.request.aspect_ratio
    size = _GEMINI_SIZES.get((job.request.size or job.option("image_size") or "").lower())
    if size:
        image_config["image_size"] = size
    config = types.GenerateContentConfig(response_modalities=["TEXT", "IMAGE"],
                                         image_config=types.ImageConfig(**image_config) if image_config else None)
    chat = client.aio.chats.create(model=job.model, config=config)
    parts: list[Any] = [job.request.prompt]
    parts += [types.Part.from_bytes(data=s.read_bytes(), mime_type=s.item.mime_type) for s in sources]
    response = await chat.send_message(parts)
    for candidate in response.candidates or []:
        for part in (candidate.content.parts if candidate.content else None) or []:
            if part.inline_data is not None and part.inline_data.data:
                return part.inline_data.data, part.inline_data.mime_type or "image/png", job.model
    said = (response.text or "").strip()
    reason = f" It said: {said[:160]}" if said else ""
    raise GenerationError(f"google: {job.model} returned no image.{reason} Rephrase the prompt")


def _imagen_config(job: Job) -> dict[str, Any]:
    req = job.request
    config: dict[str, Any] = {"number_of_images": 1}
    if req.aspect_ratio and req.aspect_ratio != "auto":
        config["aspect_ratio"] = req.aspect_ratio
    if req.negative_prompt:
        config["negative_prompt"] = req.negative_prompt
    if req.seed is not None:
        config["seed"] = req.seed
        config["add_watermark"] = False  # Vertex refuses a seed while the watermark is on
    if job.option("output_format"):
        config["output_mime_type"] = f"image/{job.option('output_format')}"
    return config


async def _imagen(client: Any, job: Job) -> tuple[bytes, str, str]:
    from google.genai import types

    response = await client.aio.models.generate_images(
        model=job.model, prompt=job.request.prompt, config=types.GenerateImagesConfig(**_imagen_config(job)))
    return _first_image(response, job.model)


async def _imagen_edit(client: Any, job: Job, sources: list[MediaRef]) -> tuple[bytes, str, str]:
    from google.genai import types

    model = job.option("edit_model") or registry.BACKENDS["google"].models["image_edit"]
    references = [types.RawReferenceImage(reference_id=i + 1,
                                          reference_image=types.Image(image_bytes=s.read_bytes(), mime_type=s.item.mime_type))
                  for i, s in enumerate(sources)]
    config = {k: v for k, v in _imagen_config(job).items() if k != "aspect_ratio"}
    response = await client.aio.models.edit_image(model=model, prompt=job.request.prompt, reference_images=references,
                                                  config=types.EditImageConfig(**config))
    return _first_image(response, model)


def _first_image(response: Any, model: str) -> tuple[bytes, str, str]:
    for generated in getattr(response, "generated_images", None) or []:
        image = generated.image
        if image is not None and image.image_bytes:
            return image.image_bytes, image.mime_type or "image/png", model
        if generated.rai_filtered_reason:
            raise GenerationError(f"google: {model} filtered the image ({generated.rai_filtered_reason}); rephrase")
    raise GenerationError(f"google: {model} returned no image; rephrase the prompt")

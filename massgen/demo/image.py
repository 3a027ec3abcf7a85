"""The offline demo image backend: draws a scene from the prompt's words with Pillow, no network.

Deterministic for a prompt, varied across prompts. Continuing from a demo image re-draws its scene
with the edit applied ("darker", "add a sun", "more blue"); continuing from any other picture (an
input image) applies the edit to that picture. A small sketch is sent first as a partial image, so
the progressive display can be seen offline too.
"""

from __future__ import annotations

import asyncio
import base64
import io
from typing import Any

from PIL import Image, UnidentifiedImageError

from massgen.generation.config import picture_size
from massgen.generation.errors import GenerationInputError
from massgen.generation.job import EventStream, Job, Output, Progress
from massgen.generation.output import write_bytes

from . import render as demo_render
from . import words as demo_words

DEFAULT_SIZE = (1024, 768)


async def run(job: Job) -> EventStream:
    delay = job.seconds("delay", 0.0)
    caption = bool(job.option("caption", True))
    size = picture_size(job.request.size, job.request.aspect_ratio, _previous_size(job))
    yield Progress(5.0, "composing the scene")
    spec, base = await asyncio.to_thread(_starting_point, job)
    if base is None:
        preview = await asyncio.to_thread(_sketch, spec, size)
        yield Progress(40.0, "sketch", partial_b64=base64.b64encode(preview).decode("ascii"), partial_mime="image/png")
        await asyncio.sleep(delay)
        picture = await asyncio.to_thread(demo_render.render, spec, size, caption)
    else:
        await asyncio.sleep(delay)
        picture = await asyncio.to_thread(_edit, base, spec, job.request.prompt)
    yield Progress(90.0, "saving")
    data = await asyncio.to_thread(_encode, picture)
    written = await write_bytes(job.output_dir, job.stem, data, job.media_type)
    stored: dict[str, Any] = {"spec": spec, "size": list(size)} if base is None else {}
    yield Output(written, job.model, continuation_id=job.remember(written, data=stored))


def _previous_size(job: Job) -> tuple[int, int]:
    """An edit keeps the size of the picture it continues, unless a size is asked for."""
    size = job.previous.data.get("size") if job.previous is not None else None
    if isinstance(size, list) and len(size) == 2 and all(isinstance(v, int) for v in size):
        return size[0], size[1]
    return DEFAULT_SIZE


def _starting_point(job: Job) -> tuple[dict[str, Any], Image.Image | None]:
    """(scene spec, None) to draw a scene, or (edit spec, picture) to edit an existing picture."""
    prompt = job.request.prompt
    previous = job.previous
    if previous is not None and isinstance(previous.data.get("spec"), dict) and not job.inputs:
        return demo_words.apply_edit(previous.data["spec"], prompt), None
    if job.inputs:
        return demo_words.image_edits(prompt), _open(job.inputs[0].read_bytes(), job.inputs[0].item.filename or "input.png")
    if previous is not None:
        path = previous.require_path()
        return demo_words.image_edits(prompt), _open(path.read_bytes(), str(path))
    return demo_words.scene_spec(prompt), None


def _sketch(spec: dict[str, Any], size: tuple[int, int]) -> bytes:
    """A quarter-size rendering, sent first as a partial image."""
    return _encode(demo_render.render(spec, (size[0] // 4, size[1] // 4), caption=False))


def _edit(picture: Image.Image, edits: dict[str, Any], prompt: str) -> Image.Image:
    return demo_render.edit_picture(picture, edits, demo_words.digest(prompt))


def _open(data: bytes, name: str) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            return img.convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise GenerationInputError(f"{name}: cannot be read as an image ({exc}); give a PNG, JPEG or WebP file") from None


def _encode(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()

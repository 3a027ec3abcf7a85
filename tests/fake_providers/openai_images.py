"""OpenAI Images generations: JSON, or SSE partial images then the final one with `stream=true`."""

from __future__ import annotations

from typing import Any, Iterator

from .exchange import Exchange, sse
from .replies import Reply, b64, default_image, partial_image

USAGE = {"input_tokens": 10, "output_tokens": 20, "total_tokens": 30,
         "input_tokens_details": {"image_tokens": 0, "text_tokens": 10}}
IMAGE_FIELDS = {"size": "1024x1024", "quality": "low", "background": "opaque", "output_format": "png"}


def register(server: Any) -> None:
    server.add_route("POST", r"(?:/[\w.-]+)?/v1/images/generations", handle, name="openai.images.generate")


def images_for(reply: Reply, body: dict[str, Any]) -> list[bytes]:
    if reply.images is not None:
        return list(reply.images)
    return [default_image(i) for i in range(int(body.get("n") or 1))]


def handle(ex: Exchange) -> None:
    body = ex.json or {}
    images = images_for(ex.reply, body)
    if not body.get("stream"):
        ex.send_json({"created": 1, "data": [{"b64_json": b64(img), "revised_prompt": body.get("prompt", "")}
                                             for img in images], **IMAGE_FIELDS, "usage": USAGE})
        return
    partials = ex.reply.partial_images if ex.reply.partial_images is not None else int(body.get("partial_images") or 0)
    error = sse({"type": "error", "error": {"message": "fake in-band error", "type": "server_error"}}, "error")
    ex.stream(frames(images, partials, "image_generation"), error_frame=error)


def frames(images: list[bytes], partials: int, prefix: str) -> Iterator[bytes]:
    """`prefix` is image_generation or image_edit (the edit route reuses this)."""
    for image in images:
        for p in range(partials):
            kind = f"{prefix}.partial_image"
            yield sse({"type": kind, "b64_json": b64(partial_image(p)), "partial_image_index": p, "created_at": 1,
                       **IMAGE_FIELDS}, kind)
        kind = f"{prefix}.completed"
        yield sse({"type": kind, "b64_json": b64(image), "created_at": 1, **IMAGE_FIELDS, "usage": USAGE}, kind)

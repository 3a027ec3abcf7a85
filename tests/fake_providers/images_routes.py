"""OpenAI Images edits: multipart upload (`image`, or repeated `image[]`), JSON or SSE partial images.

The generations route is openai_images.py; this module adds the edit route beside it.
"""

from __future__ import annotations

from typing import Any

from .exchange import Exchange, sse
from .openai_images import IMAGE_FIELDS, USAGE, frames, images_for
from .replies import b64


def register(server: Any) -> None:
    server.add_route("POST", r"(?:/[\w.-]+)?/v1/images/edits", handle_edit, name="openai.images.edit")


def uploaded_images(form: dict[str, Any]) -> list[dict[str, Any]]:
    """The image parts of an edit request, whether sent as `image` or as repeated `image[]`."""
    found: list[dict[str, Any]] = []
    for key in ("image", "image[]"):
        value = form.get(key)
        if value is None:
            continue
        found.extend(value if isinstance(value, list) else [value])
    return [part for part in found if isinstance(part, dict)]


def handle_edit(ex: Exchange) -> None:
    form = ex.request.form or {}
    if not uploaded_images(form):
        ex.send_error(400, "an edit needs at least one image file part")
        return
    images = images_for(ex.reply, {"n": form.get("n") or 1})
    if form.get("stream") != "true":
        ex.send_json({"created": 1, "data": [{"b64_json": b64(img)} for img in images], **IMAGE_FIELDS, "usage": USAGE})
        return
    partials = ex.reply.partial_images if ex.reply.partial_images is not None else int(form.get("partial_images") or 0)
    error = sse({"type": "error", "error": {"message": "fake in-band error", "type": "server_error"}}, "error")
    ex.stream(frames(images, partials, "image_edit"), error_frame=error)

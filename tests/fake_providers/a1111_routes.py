"""An AUTOMATIC1111-compatible Stable Diffusion API: txt2img, img2img and progress (no key)."""

from __future__ import annotations

import base64
from typing import Any

from .exchange import Exchange
from .replies import b64, partial_image, tiny_png


def register(server: Any) -> None:
    server.add_route("POST", r"(?:/[\w.-]+)?/sdapi/v1/txt2img", txt2img, name="a1111.txt2img", auth=False)
    server.add_route("POST", r"(?:/[\w.-]+)?/sdapi/v1/img2img", img2img, name="a1111.img2img", auth=False)
    server.add_route("GET", r"(?:/[\w.-]+)?/sdapi/v1/progress", progress, name="a1111.progress", auth=False)


def _answer(ex: Exchange, body: dict[str, Any]) -> None:
    width, height = int(body.get("width") or 512) // 64 or 1, int(body.get("height") or 512) // 64 or 1
    images = ex.reply.images if ex.reply.images is not None else [tiny_png(width, height, rgb=(90, 160, 90))]
    ex.send_json({"images": [b64(img) for img in images], "parameters": body, "info": "{}"})


def txt2img(ex: Exchange) -> None:
    body = ex.json or {}
    if not body.get("prompt"):
        ex.send_json({"detail": "prompt is required"}, 422)
        return
    _answer(ex, body)


def img2img(ex: Exchange) -> None:
    body = ex.json or {}
    images = body.get("init_images") or []
    if not images:
        ex.send_json({"detail": "init_images is required"}, 422)
        return
    try:
        base64.b64decode(images[0].split(",", 1)[-1], validate=True)
    except ValueError:
        ex.send_json({"detail": "init_images[0] is not base64"}, 422)
        return
    _answer(ex, body)


def progress(ex: Exchange) -> None:
    count = ex.server.state["a1111_progress"] = ex.server.state.get("a1111_progress", 0) + 1
    ex.send_json({"progress": min(0.95, 0.2 * count), "eta_relative": 1.0, "state": {"sampling_step": count},
                  "current_image": b64(partial_image(count))})

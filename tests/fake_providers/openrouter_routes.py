"""OpenRouter image output under /openrouter/v1: chat completions whose message carries `images`
(data URLs) when `modalities` asks for an image."""

from __future__ import annotations

from typing import Any

from .exchange import Exchange
from .generated_media import tiny_image
from .replies import b64


def register(server: Any) -> None:
    server.add_route("POST", r"/openrouter/v1/chat/completions", chat, name="openrouter.chat")


def chat(ex: Exchange) -> None:
    body = ex.json or {}
    wants_image = "image" in (body.get("modalities") or [])
    images = ex.reply.images if ex.reply.images is not None else ([tiny_image("WEBP", (120, 60, 200))] if wants_image else [])
    mimes = {b"RIFF": "image/webp", b"\x89PNG": "image/png"}
    message: dict[str, Any] = {"role": "assistant", "content": ex.reply.text or "Here is your image."}
    if images:
        message["images"] = [{"type": "image_url", "image_url": {
            "url": f"data:{mimes.get(img[:4], 'image/jpeg')};base64,{b64(img)}"}} for img in images]
    ex.send_json({"id": "gen-1", "object": "chat.completion", "created": 1, "model": body.get("model", "fake"),
                  "choices": [{"index": 0, "finish_reason": "stop", "message": message}],
                  "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}})

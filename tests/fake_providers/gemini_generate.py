"""Gemini generateContent and streamGenerateContent (SSE), with thought, function-call and image parts."""

from __future__ import annotations

from typing import Any, Iterator

from .exchange import Exchange, sse
from .replies import Reply, b64, default_image, echo, is_default, split_text

_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
           429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
USAGE = {"promptTokenCount": 5, "candidatesTokenCount": 7, "totalTokenCount": 12}
MODELS = r"(?:/[\w.-]+)?/(?P<version>v\w+)/models/(?P<model>[^/:]+)"


def gemini_error(status: int, message: str) -> dict[str, Any]:
    return {"error": {"code": status, "message": message, "status": _STATUS.get(status, "UNKNOWN")}}


def register(server: Any) -> None:
    server.add_route("POST", MODELS + ":generateContent", handle, name="gemini.generate", error_body=gemini_error)
    server.add_route("POST", MODELS + ":streamGenerateContent", handle, name="gemini.stream", error_body=gemini_error)


def inline_parts(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The inline-data payloads of `parts` (the SDK writes `inlineData`; accept `inline_data` too)."""
    return [p.get("inlineData") or p.get("inline_data") for p in parts if p.get("inlineData") or p.get("inline_data")]


def mime_of(data: dict[str, Any]) -> str:
    return data.get("mimeType") or data.get("mime_type") or ""


def last_user(body: dict[str, Any]) -> tuple[str, dict[str, int]]:
    for content in reversed(body.get("contents") or []):
        if content.get("role", "user") != "user":
            continue
        parts = content.get("parts") or []
        text = " ".join(p["text"] for p in parts if "text" in p)
        mimes = [mime_of(d) for d in inline_parts(parts)]
        files = [p.get("fileData") or p.get("file_data") for p in parts if p.get("fileData") or p.get("file_data")]
        return text, {"images": sum(m.startswith("image/") for m in mimes),
                      "audio": sum(m.startswith("audio/") for m in mimes),
                      "video": sum(m.startswith("video/") for m in mimes),
                      "documents": sum(m == "application/pdf" for m in mimes),
                      "files": len(files)}
    return "", {}


def wants_image(body: dict[str, Any]) -> bool:
    config = body.get("generationConfig") or {}
    modalities = config.get("responseModalities") or config.get("response_modalities") or []
    return "IMAGE" in [str(m).upper() for m in modalities]


def handle(ex: Exchange) -> None:
    body = ex.json or {}
    reply = ex.reply
    text = echo(*last_user(body)) if is_default(reply) else (reply.text or "")
    images = list(reply.images) if reply.images is not None else (
        [default_image()] if wants_image(body) and is_default(reply) else [])
    chunks = list(response_chunks(reply, text, images))
    if ex.request.route == "gemini.generate":
        parts = [p for c in chunks for p in c["candidates"][0]["content"]["parts"]]
        merged = chunks[-1]
        merged["candidates"][0]["content"]["parts"] = parts
        ex.send_json(merged)
        return
    error = sse({"error": {"code": 500, "message": "fake in-band error", "status": "INTERNAL"}}, crlf=True)
    ex.stream((sse(c, crlf=True) for c in chunks), error_frame=error, malformed=b"data: {broken json\r\n\r\n")


def _chunk(parts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"candidates": [{"content": {"role": "model", "parts": parts}, "index": 0}],
            "modelVersion": "gemini-fake", "responseId": "gem_1"}


def response_chunks(reply: Reply, text: str, images: list[bytes]) -> Iterator[dict[str, Any]]:
    """Thought and text deltas, then one chunk with calls and images that ends the turn."""
    for piece in split_text(reply.reasoning or "", reply.pieces):
        yield _chunk([{"text": piece, "thought": True}])
    pieces = split_text(text, reply.pieces)
    for piece in pieces[:-1]:
        yield _chunk([{"text": piece}])
    last: list[dict[str, Any]] = [{"text": pieces[-1]}] if pieces else []
    for i, call in enumerate(reply.tool_calls):
        args = call.get("arguments", {})
        last.append({"functionCall": {"id": call.get("id") or f"fc_{i + 1}", "name": call["name"], "args": args}})
    last += [{"inlineData": {"mimeType": "image/png", "data": b64(img)}} for img in images]
    final = _chunk(last)
    final["candidates"][0]["finishReason"] = "STOP"
    final["usageMetadata"] = USAGE
    yield final

"""Anthropic Messages: JSON and SSE (every frame named by an `event:` line, as the SDK requires)."""

from __future__ import annotations

import json
from typing import Any, Iterator

from .exchange import Exchange, sse
from .replies import Reply, arguments_text, echo, is_default, split_text, tool_call_id

_KINDS = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error", 404: "not_found_error",
          413: "request_too_large", 429: "rate_limit_error", 529: "overloaded_error"}


def anthropic_error(status: int, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": _KINDS.get(status, "api_error"), "message": message}}


def register(server: Any) -> None:
    server.add_route("POST", r"(?:/[\w.-]+)?/v1/messages", handle, name="anthropic.messages",
                     error_body=anthropic_error)


def last_user(body: dict[str, Any]) -> tuple[str, dict[str, int]]:
    for message in reversed(body.get("messages") or []):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content, {}
        blocks = content or []
        text = " ".join(b.get("text", "") for b in blocks if b.get("type") == "text")
        return text, {"images": sum(b.get("type") == "image" for b in blocks),
                      "documents": sum(b.get("type") == "document" for b in blocks)}
    return "", {}


def content_blocks(reply: Reply, text: str) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if reply.reasoning:
        blocks.append({"type": "thinking", "thinking": reply.reasoning, "signature": "sig_fake"})
    if text:
        blocks.append({"type": "text", "text": text})
    for i, call in enumerate(reply.tool_calls):
        blocks.append({"type": "tool_use", "id": tool_call_id(call, i, "toolu"), "name": call["name"],
                       "input": json.loads(arguments_text(call))})
    return blocks


def handle(ex: Exchange) -> None:
    body = ex.json or {}
    text = echo(*last_user(body)) if is_default(ex.reply) else (ex.reply.text or "")
    blocks = content_blocks(ex.reply, text)
    stop = "tool_use" if ex.reply.tool_calls else "end_turn"
    message = {"id": "msg_fake", "type": "message", "role": "assistant", "model": body.get("model", "fake"),
               "content": blocks, "stop_reason": stop, "stop_sequence": None,
               "usage": {"input_tokens": 10, "output_tokens": 7}}
    if not body.get("stream"):
        ex.send_json(message)
        return
    error = sse({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}, "error")
    malformed = b"event: content_block_delta\ndata: {broken json\n\n"
    ex.stream(frames(message, ex.reply.pieces), error_frame=error, malformed=malformed)


def _ev(kind: str, **fields: Any) -> bytes:
    return sse({"type": kind, **fields}, kind)


def frames(message: dict[str, Any], pieces: int) -> Iterator[bytes]:
    start = {**message, "content": [], "stop_reason": None, "usage": {"input_tokens": 10, "output_tokens": 1}}
    yield _ev("message_start", message=start)
    for index, block in enumerate(message["content"]):
        yield from _block(index, block, pieces)
        if index == 0:
            yield _ev("ping")
    yield _ev("message_delta", delta={"stop_reason": message["stop_reason"], "stop_sequence": None},
              usage={"output_tokens": 7})
    yield _ev("message_stop")


def _block(index: int, block: dict[str, Any], pieces: int) -> Iterator[bytes]:
    kind = block["type"]
    if kind == "text":
        yield _ev("content_block_start", index=index, content_block={"type": "text", "text": ""})
        for piece in split_text(block["text"], pieces):
            yield _ev("content_block_delta", index=index, delta={"type": "text_delta", "text": piece})
    elif kind == "thinking":
        yield _ev("content_block_start", index=index,
                  content_block={"type": "thinking", "thinking": "", "signature": ""})
        for piece in split_text(block["thinking"], pieces):
            yield _ev("content_block_delta", index=index, delta={"type": "thinking_delta", "thinking": piece})
        yield _ev("content_block_delta", index=index,
                  delta={"type": "signature_delta", "signature": block["signature"]})
    else:
        yield _ev("content_block_start", index=index, content_block={**block, "input": {}})
        for piece in split_text(json.dumps(block["input"]), pieces):
            yield _ev("content_block_delta", index=index, delta={"type": "input_json_delta", "partial_json": piece})
    yield _ev("content_block_stop", index=index)

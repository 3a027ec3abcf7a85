"""OpenAI Chat Completions (also Azure deployments and any OpenAI-compatible prefix): JSON and SSE."""

from __future__ import annotations

from typing import Any, Iterator

from .exchange import Exchange, sse
from .replies import Reply, arguments_text, echo, is_default, split_text, tool_call_id


def register(server: Any) -> None:
    server.add_route("POST", r"(?:/[\w.-]+)?/v1/chat/completions", handle, name="openai.chat")
    server.add_route("POST", r"(?:/[\w.-]+)?/openai/deployments/(?P<deployment>[^/]+)/chat/completions",
                     handle, name="azure.chat")


def last_user(body: dict[str, Any]) -> tuple[str, dict[str, int]]:
    """The last user message's text and its attachment counts, from a Chat Completions body."""
    for message in reversed(body.get("messages") or []):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content, {}
        parts = content or []
        text = " ".join(p.get("text", "") for p in parts if p.get("type") == "text")
        counts = {
            "images": sum(p.get("type") == "image_url" for p in parts),
            "audio": sum(p.get("type") == "input_audio" for p in parts),
            "files": sum(p.get("type") == "file" for p in parts),
        }
        return text, counts
    return "", {}


def reply_text(ex: Exchange) -> str:
    reply = ex.reply
    if is_default(reply):
        return echo(*last_user(ex.json or {}))
    return reply.text or ""


def handle(ex: Exchange) -> None:
    body = ex.json or {}
    model = body.get("model", "fake-model")
    if not body.get("stream"):
        ex.send_json(completion(model, reply_text(ex), ex.reply))
        return
    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    error = sse({"error": {"message": "fake in-band error", "type": "server_error", "code": "server_error"}})
    ex.stream(frames(model, reply_text(ex), ex.reply, include_usage), error_frame=error)


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {"id": "chatcmpl_fake", "object": "chat.completion.chunk", "created": 1, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


USAGE = {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}


def frames(model: str, text: str, reply: Reply, include_usage: bool) -> Iterator[bytes]:
    yield sse(_chunk(model, {"role": "assistant", "content": ""}))
    for piece in split_text(reply.reasoning or "", reply.pieces):
        yield sse(_chunk(model, {"reasoning_content": piece}))
    for piece in split_text(text, reply.pieces):
        yield sse(_chunk(model, {"content": piece}))
    for i, call in enumerate(reply.tool_calls):
        head = {"index": i, "id": tool_call_id(call, i), "type": "function",
                "function": {"name": call["name"], "arguments": ""}}
        yield sse(_chunk(model, {"tool_calls": [head]}))
        for piece in split_text(arguments_text(call), reply.pieces):
            yield sse(_chunk(model, {"tool_calls": [{"index": i, "function": {"arguments": piece}}]}))
    yield sse(_chunk(model, {}, "tool_calls" if reply.tool_calls else "stop"))
    if include_usage:
        yield sse({**_chunk(model, {}), "choices": [], "usage": USAGE})
    yield sse("[DONE]")


def completion(model: str, text: str, reply: Reply) -> dict[str, Any]:
    calls = [{"id": tool_call_id(c, i), "type": "function",
              "function": {"name": c["name"], "arguments": arguments_text(c)}} for i, c in enumerate(reply.tool_calls)]
    message: dict[str, Any] = {"role": "assistant", "content": text or None}
    if calls:
        message["tool_calls"] = calls
    return {"id": "chatcmpl_fake", "object": "chat.completion", "created": 1, "model": model,
            "choices": [{"index": 0, "message": message, "logprobs": None,
                         "finish_reason": "tool_calls" if calls else "stop"}],
            "usage": USAGE}

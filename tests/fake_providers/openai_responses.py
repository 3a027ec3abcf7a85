"""OpenAI Responses API: SSE with reasoning summaries, text, function calls and image generation."""

from __future__ import annotations

import itertools
from typing import Any, Iterator

from .exchange import Exchange, sse
from .replies import (Reply, arguments_text, b64, default_image, echo, is_default, partial_image, split_text,
                      tool_call_id)

USAGE = {"input_tokens": 5, "output_tokens": 7, "total_tokens": 12,
         "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
         "output_tokens_details": {"reasoning_tokens": 0}}


def register(server: Any) -> None:
    server.add_route("POST", r"(?:/[\w.-]+)?/v1/responses", handle, name="openai.responses")


def last_user(body: dict[str, Any]) -> tuple[str, dict[str, int]]:
    """The last user input's text and attachment counts (input may be a string or items)."""
    items = body.get("input")
    if isinstance(items, str):
        return items, {}
    for item in reversed(items or []):
        if item.get("role") != "user":
            continue
        content = item.get("content")
        if isinstance(content, str):
            return content, {}
        parts = content or []
        text = " ".join(p.get("text", "") for p in parts if p.get("type") == "input_text")
        return text, {"images": sum(p.get("type") == "input_image" for p in parts),
                      "files": sum(p.get("type") == "input_file" for p in parts)}
    return "", {}


def image_tool(body: dict[str, Any]) -> dict[str, Any] | None:
    return next((t for t in body.get("tools") or [] if t.get("type") == "image_generation"), None)


def handle(ex: Exchange) -> None:
    body = ex.json or {}
    store: dict[str, Any] = ex.server.state.setdefault("responses", {})
    previous = body.get("previous_response_id")
    if previous and previous not in store:
        ex.send_json({"error": {"message": f"Previous response with id '{previous}' not found.",
                                "type": "invalid_request_error", "param": "previous_response_id",
                                "code": "previous_response_not_found"}}, 400)
        return
    counter = ex.server.state.setdefault("response_ids", itertools.count(1))
    rid = f"resp_{next(counter):04d}"
    plan = Plan(ex.reply, body)
    store[rid] = {"input": body.get("input"), "previous": previous}
    if not body.get("stream"):
        ex.send_json(response_obj(rid, body, "completed", plan.output_items(), USAGE))
        return
    error = {"type": "error", "code": "server_error", "message": "fake in-band error", "param": None,
             "sequence_number": 0}
    ex.stream(plan.events(rid), error_frame=sse(error, "error"))


def response_obj(rid: str, body: dict[str, Any], status: str, output: list[dict[str, Any]],
                 usage: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"id": rid, "object": "response", "created_at": 1.0, "model": body.get("model", "fake-model"),
            "status": status, "output": output, "parallel_tool_calls": True, "tool_choice": "auto", "tools": [],
            "previous_response_id": body.get("previous_response_id"), "error": None, "incomplete_details": None,
            "instructions": None, "metadata": {}, "temperature": None, "top_p": None, "usage": usage}


class Plan:
    """The output items one reply makes, and the event sequence that streams them."""

    def __init__(self, reply: Reply, body: dict[str, Any]) -> None:
        self.reply = reply
        self.body = body
        tool = image_tool(body)
        self.text = echo(*last_user(body)) if is_default(reply) else (reply.text or "")
        if reply.images is not None:
            self.images = list(reply.images)
        else:
            self.images = [default_image()] if tool is not None and is_default(reply) else []
        self.partials = reply.partial_images if reply.partial_images is not None else int(
            (tool or {}).get("partial_images") or 0)
        self._seq = itertools.count()

    def output_items(self) -> list[dict[str, Any]]:
        items = []
        if self.reply.reasoning:
            items.append(_reasoning_item(self.reply.reasoning))
        if self.text:
            items.append(_message_item(self.text))
        items += [_call_item(c, i) for i, c in enumerate(self.reply.tool_calls)]
        items += [_image_item(img, i) for i, img in enumerate(self.images)]
        return items

    def _ev(self, kind: str, **fields: Any) -> bytes:
        return sse({"type": kind, "sequence_number": next(self._seq), **fields}, kind)

    def events(self, rid: str) -> Iterator[bytes]:
        yield self._ev("response.created", response=response_obj(rid, self.body, "in_progress", []))
        yield self._ev("response.in_progress", response=response_obj(rid, self.body, "in_progress", []))
        final = self.output_items()
        for index, item in enumerate(final):
            yield from getattr(self, f"_stream_{item['type']}")(index, item)
        yield self._ev("response.completed", response=response_obj(rid, self.body, "completed", final, USAGE))

    def _stream_reasoning(self, index: int, item: dict[str, Any]) -> Iterator[bytes]:
        ids = {"item_id": item["id"], "output_index": index, "summary_index": 0}
        text = item["summary"][0]["text"]
        yield self._ev("response.output_item.added", output_index=index, item={**item, "summary": []})
        yield self._ev("response.reasoning_summary_part.added", **ids, part={"type": "summary_text", "text": ""})
        for piece in split_text(text, self.reply.pieces):
            yield self._ev("response.reasoning_summary_text.delta", **ids, delta=piece)
        yield self._ev("response.reasoning_summary_text.done", **ids, text=text)
        yield self._ev("response.reasoning_summary_part.done", **ids, part={"type": "summary_text", "text": text})
        yield self._ev("response.output_item.done", output_index=index, item=item)

    def _stream_message(self, index: int, item: dict[str, Any]) -> Iterator[bytes]:
        ids = {"item_id": item["id"], "output_index": index, "content_index": 0}
        text = item["content"][0]["text"]
        yield self._ev("response.output_item.added", output_index=index,
                       item={**item, "status": "in_progress", "content": []})
        yield self._ev("response.content_part.added", **ids,
                       part={"type": "output_text", "text": "", "annotations": [], "logprobs": []})
        for piece in split_text(text, self.reply.pieces):
            yield self._ev("response.output_text.delta", **ids, delta=piece, logprobs=[])
        yield self._ev("response.output_text.done", **ids, text=text, logprobs=[])
        yield self._ev("response.content_part.done", **ids, part=item["content"][0])
        yield self._ev("response.output_item.done", output_index=index, item=item)

    def _stream_function_call(self, index: int, item: dict[str, Any]) -> Iterator[bytes]:
        ids = {"item_id": item["id"], "output_index": index}
        yield self._ev("response.output_item.added", output_index=index,
                       item={**item, "arguments": "", "status": "in_progress"})
        for piece in split_text(item["arguments"], self.reply.pieces):
            yield self._ev("response.function_call_arguments.delta", **ids, delta=piece)
        yield self._ev("response.function_call_arguments.done", **ids, arguments=item["arguments"])
        yield self._ev("response.output_item.done", output_index=index, item=item)

    def _stream_image_generation_call(self, index: int, item: dict[str, Any]) -> Iterator[bytes]:
        ids = {"item_id": item["id"], "output_index": index}
        yield self._ev("response.output_item.added", output_index=index,
                       item={**item, "status": "in_progress", "result": None})
        yield self._ev("response.image_generation_call.in_progress", **ids)
        yield self._ev("response.image_generation_call.generating", **ids)
        for p in range(self.partials):
            yield self._ev("response.image_generation_call.partial_image", **ids, partial_image_index=p,
                           partial_image_b64=b64(partial_image(p)), output_format="png", size="1024x1024",
                           quality="low", background="opaque")
        yield self._ev("response.image_generation_call.completed", **ids)
        yield self._ev("response.output_item.done", output_index=index, item=item)


def _reasoning_item(text: str) -> dict[str, Any]:
    return {"id": "rs_1", "type": "reasoning", "summary": [{"type": "summary_text", "text": text}]}


def _message_item(text: str) -> dict[str, Any]:
    return {"id": "msg_1", "type": "message", "status": "completed", "role": "assistant",
            "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}]}


def _call_item(call: dict[str, Any], i: int) -> dict[str, Any]:
    return {"id": f"fc_{i + 1}", "type": "function_call", "call_id": tool_call_id(call, i), "name": call["name"],
            "arguments": arguments_text(call), "status": "completed"}


def _image_item(image: bytes, i: int) -> dict[str, Any]:
    return {"id": f"ig_{i + 1}", "type": "image_generation_call", "status": "completed", "result": b64(image),
            "output_format": "png", "size": "1024x1024", "quality": "low", "background": "opaque"}

"""ScriptedBackend: a test backend that replays given turns (text, tool calls, media, errors, stalls)
and records every request, so orchestrator tests are deterministic and fast."""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Callable

from massgen.backend.base import LLMBackend
from massgen.stream_chunk import (BaseStreamChunk, ChunkType, MediaEncoding, MediaMetadata, MediaType,
                                  MultimodalStreamChunk, TextStreamChunk)


@dataclass
class Step:
    """One scripted response: text, tool calls, an inline image, an ERROR, a delay, or a raise."""

    text: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)
    image: bytes | None = None
    error: str | None = None
    delay: float = 0.0
    raise_exc: BaseException | None = None


def answer(content: str, **kw: Any) -> Step:
    return Step(text=kw.pop("text", ""), calls=[{"id": f"ans-{abs(hash(content)) % 10**6}", "name": "new_answer",
                                                  "arguments": {"content": content}}], **kw)


def vote(label: str, reason: str = "best", **kw: Any) -> Step:
    return Step(calls=[{"id": f"vote-{label}", "name": "vote", "arguments": {"agent_id": label, "reason": reason}}], **kw)


def say(text: str, **kw: Any) -> Step:
    return Step(text=text, **kw)


def call(name: str, **arguments: Any) -> Step:
    return Step(calls=[{"id": f"call-{name}", "name": name, "arguments": arguments}])


Policy = Callable[[list[dict[str, Any]], list[dict[str, Any]]], Step]


class ScriptedBackend(LLMBackend):
    """Replays `steps` in order, then asks `then(messages, tools)` (default: vote for the first answer
    offered, or answer). A request with no tools (the presentation) gets `presentation` if given."""

    backend_type = "demo"

    def __init__(self, steps: list[Step] | None = None, *, then: Policy | None = None, presentation: str | None = None,
                 vision: bool = True, media_limits: dict[str, Any] | None = None, agent_id: str | None = None) -> None:
        caps = None if vision else {"input": []}
        super().__init__(agent_id=agent_id, multimodal_capabilities=caps, media_limits=media_limits)
        self.steps = list(steps or [])
        self.then = then or (lambda messages, tools: _fallback(tools))
        self.presentation = presentation
        self.requests: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]] = []
        self.closed_streams = 0
        self.cancelled = 0

    def requires_key(self) -> bool:
        return False

    async def _stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> AsyncIterator[BaseStreamChunk]:
        self.requests.append((messages, tools))
        if not tools and self.presentation is not None:
            step = say(self.presentation)
        else:
            step = self.steps.pop(0) if self.steps else self.then(messages, tools)
        try:
            async for chunk in self._play(step):
                yield chunk
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.closed_streams += 1

    async def _play(self, step: Step) -> AsyncIterator[BaseStreamChunk]:
        if step.delay:
            await asyncio.sleep(step.delay)
        if step.raise_exc is not None:
            raise step.raise_exc
        if step.text:
            yield TextStreamChunk(type=ChunkType.CONTENT, content=step.text)
        if step.image is not None:
            meta = MediaMetadata(mime_type="image/png", generator="scripted", continuation_id="scripted:1")
            yield MultimodalStreamChunk(type=ChunkType.MEDIA, media_type=MediaType.IMAGE, media_id="img-1",
                                        media_encoding=MediaEncoding.BASE64,
                                        media_data=base64.b64encode(step.image).decode(), media_metadata=meta)
        if step.error is not None:
            yield TextStreamChunk(type=ChunkType.ERROR, error=step.error)
            yield TextStreamChunk(type=ChunkType.DONE)
            return
        if step.calls:
            yield TextStreamChunk(type=ChunkType.TOOL_CALLS, tool_calls=step.calls)
        message: dict[str, Any] = {"role": "assistant", "content": step.text}
        if step.calls:
            message["tool_calls"] = step.calls
        yield TextStreamChunk(type=ChunkType.COMPLETE_MESSAGE, complete_message=message)
        yield TextStreamChunk(type=ChunkType.DONE)

    def user_text(self, request: int = -1) -> str:
        """All text of the last user message of one recorded request."""
        messages = self.requests[request][0]
        content = [m for m in messages if m["role"] == "user"][-1]["content"]
        if isinstance(content, str):
            return content
        return "\n".join(i["text"] for i in content if i["type"] == "text")

    def media_items(self, request: int = -1) -> list[dict[str, Any]]:
        content = [m for m in self.requests[request][0] if m["role"] == "user"][-1]["content"]
        return [] if isinstance(content, str) else [i for i in content if i["type"] != "text"]


def offered_labels(tools: list[dict[str, Any]]) -> list[str]:
    """The anonymous ids the vote tool offers (empty when there is no vote tool)."""
    for tool in tools:
        if tool["name"] == "vote":
            return list(tool["parameters"]["properties"]["agent_id"]["enum"])
    return []


def _fallback(tools: list[dict[str, Any]]) -> Step:
    for tool in tools:
        if tool["name"] == "vote":
            return vote(tool["parameters"]["properties"]["agent_id"]["enum"][0], "fallback vote")
    if any(t["name"] == "new_answer" for t in tools):
        return answer("fallback answer")
    return say("fallback presentation")

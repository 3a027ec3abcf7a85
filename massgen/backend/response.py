"""ResponseBackend [openai]: the OpenAI Responses API, with reasoning summaries, function tools and the
hosted image_generation tool (partial images -> MEDIA_PROGRESS, final image -> MEDIA whose
continuation id is the response id, to pass back as `previous_response_id` when refining it).
"""

from __future__ import annotations

from typing import Any, AsyncIterator

from massgen.formatter import MessageFormatter
from massgen.stream_chunk import BaseStreamChunk

from .base import ChunkStream
from .media_out import media_chunk, progress_chunk
from .openai_family import OpenAIFamilyBackend
from .provider_turn import ProviderTurn

DEFAULT_IMAGE_TOOL = {"type": "image_generation", "partial_images": 1}


class ResponseBackend(OpenAIFamilyBackend):
    """Options: reasoning ({"effort", "summary"}) or reasoning_effort, image_generation (bool or tool settings),
    max_output_tokens (or max_tokens), temperature, top_p, store."""

    backend_type = "openai"
    OPTIONS = frozenset({"temperature", "top_p", "max_output_tokens", "max_tokens", "reasoning", "reasoning_effort",
                         "image_generation", "store", "headers", "extra_body"})

    def __init__(self, model: str | None = None, api_key: str | None = None, base_url: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(model, api_key, base_url, **kwargs)
        self.image_tool = self._image_tool()
        self.last_response_id: str | None = None

    def _image_tool(self) -> dict[str, Any] | None:
        setting = self.options.get("image_generation")
        if setting is None:
            setting = self.supports_multimodal_output().get("image", False)
        if setting is False:
            return None
        return {**DEFAULT_IMAGE_TOOL, **(setting if isinstance(setting, dict) else {}), "type": "image_generation"}

    def stream_with_tools(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None, *,
                          previous_response_id: str | None = None) -> ChunkStream:
        """As LLMBackend's; `previous_response_id` (a MEDIA chunk's continuation id) continues that response."""
        return ChunkStream(self._stream(messages, list(tools or []), previous_response_id=previous_response_id))

    def request_params(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
                       previous_response_id: str | None = None) -> dict[str, Any]:
        if previous_response_id:
            messages = since_last_assistant(messages)
        params: dict[str, Any] = {"model": self.model, "stream": True,
                                  "input": MessageFormatter.to_responses_format(messages, self.limits)}
        all_tools = MessageFormatter.format_tools(tools, "responses") if tools else []
        if self.image_tool:
            all_tools.append(dict(self.image_tool))
        if all_tools:
            params["tools"] = all_tools
        if previous_response_id:
            params["previous_response_id"] = previous_response_id
        limit = self.options.get("max_output_tokens") or self.options.get("max_tokens")
        if limit:
            params["max_output_tokens"] = int(limit)
        reasoning = {**({"effort": self.options["reasoning_effort"]} if self.options.get("reasoning_effort") else {}),
                     **(self.options.get("reasoning") or {})}
        if reasoning:
            params["reasoning"] = reasoning
        return self.copy_options(params, ("temperature", "top_p", "store", "extra_body"))

    async def _provider_stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]], turn: ProviderTurn,
                               previous_response_id: str | None = None) -> AsyncIterator[BaseStreamChunk]:
        params = self.request_params(messages, tools, previous_response_id)
        stream = await self.client().responses.create(**params)
        turn.started = True
        async with stream:
            async for event in stream:
                for chunk in self._on_event(event, turn):
                    yield chunk
                if turn.error is not None:
                    return
        self.last_response_id = turn.response_id

    def _on_event(self, event: Any, turn: ProviderTurn) -> list[BaseStreamChunk]:
        kind = event.type
        if kind in ("response.output_text.delta", "response.refusal.delta"):
            return [turn.content(event.delta)]
        if kind in ("response.reasoning_summary_text.delta", "response.reasoning_text.delta"):
            return [turn.reasoning(event.delta, item_id=event.item_id)]
        if kind == "response.function_call_arguments.delta":
            turn.tools.add(event.item_id, arguments=event.delta)
        elif kind == "response.image_generation_call.partial_image":
            total = int((self.image_tool or {}).get("partial_images") or 0) + 1
            return [turn.progress(progress_chunk(source=turn.source, media_id=event.item_id,
                                                 b64_text=event.partial_image_b64,
                                                 index=event.partial_image_index, total=total))]
        elif kind in ("response.output_item.added", "response.output_item.done"):
            return self._on_item(event.item, turn, done=kind.endswith("done"))
        elif kind in ("response.created", "response.completed"):
            turn.response_id = event.response.id
            if event.response.usage is not None:
                turn.usage = event.response.usage.model_dump()
        elif kind == "error":
            turn.fail(f"{self.label}: the provider reported an error: {event.message} ({event.code})")
        elif kind == "response.failed":
            error = event.response.error
            turn.fail(f"{self.label}: the response failed: {error.message if error else 'no reason given'}")
        return []

    def _on_item(self, item: Any, turn: ProviderTurn, done: bool) -> list[BaseStreamChunk]:
        if item.type == "function_call":
            turn.tools.add(item.id or item.call_id, id=item.call_id, name=item.name)
            if done:
                turn.tools.set_arguments(item.id or item.call_id, item.arguments)
        elif item.type == "image_generation_call" and done:
            if item.result:
                chunk = media_chunk(source=turn.source, media_id=item.id, b64_text=item.result,
                                    continuation_id=turn.response_id, generator=self.backend_type,
                                    prompt=getattr(item, "revised_prompt", None))
                return [turn.add_media(chunk)]
            if item.status == "failed":
                turn.fail(f"{self.label}: image generation failed"
                          + (f": {item.error.message}" if getattr(item, "error", None) else ""))
        return []


def since_last_assistant(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages after the last assistant turn: what a continued response has not seen yet."""
    for index in range(len(messages) - 1, -1, -1):
        if messages[index].get("role") == "assistant":
            return messages[index + 1:]
    return messages

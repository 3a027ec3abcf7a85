"""ClaudeBackend [claude]: Anthropic Messages streaming: text, thinking, tool use; images (base64 and URL)
and PDFs as document blocks (built by MessageFormatter.to_claude_format).

The SDK's retries are off: it would honour any Retry-After, however long; retry.open_stream caps it.
"""

from __future__ import annotations

from typing import Any, AsyncIterator

from massgen.formatter import MessageFormatter
from massgen.stream_chunk import BaseStreamChunk

from .retry import close_stream, open_stream
from .streaming import StreamingBackend
from .turn import Turn

DEFAULT_MAX_TOKENS = 8192


class ClaudeBackend(StreamingBackend):
    """Options: max_tokens, thinking ({"type": "enabled", "budget_tokens": n}), headers, extra_body.

    temperature and top_p are accepted (older team files set them) but the Messages API no longer
    takes them: they are left out, with a warning.
    """

    backend_type = "claude"
    OPTIONS = frozenset({"max_tokens", "thinking", "headers", "extra_body"})
    UNUSED_OPTIONS = frozenset({"temperature", "top_p"})
    UNUSED_REASON = "the Anthropic Messages API no longer takes them"

    def __init__(self, model: str | None = None, api_key: str | None = None, base_url: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(model, api_key, base_url, **kwargs)
        self._client: Any = None

    def provider_errors(self) -> tuple[type[BaseException], ...]:
        import anthropic

        return (*super().provider_errors(), anthropic.APIError)

    def client(self) -> Any:
        if self._client is None:
            import anthropic

            self._client = anthropic.AsyncAnthropic(
                api_key=self._api_key, base_url=self.base_url, timeout=self.policy.openai_style_timeout(),
                max_retries=0, default_headers=self.options.get("headers"))
        return self._client

    def request_params(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> dict[str, Any]:
        """The messages.create arguments for one turn."""
        turns, system = MessageFormatter.to_claude_format(messages, self.limits)
        params: dict[str, Any] = {"model": self.model, "messages": turns, "stream": True,
                                  "max_tokens": int(self.options.get("max_tokens") or DEFAULT_MAX_TOKENS)}
        if system:
            params["system"] = system
        if tools:
            params["tools"] = MessageFormatter.format_tools(tools, "claude")
        for name in ("thinking", "extra_body"):
            if self.options.get(name) is not None:
                params[name] = self.options[name]
        return params

    async def _provider_stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
                               turn: Turn) -> AsyncIterator[BaseStreamChunk]:
        params = self.request_params(messages, tools)
        client = self.client()
        stream, first = await open_stream(lambda: client.messages.create(**params), self.policy, self.label,
                                          self.provider_errors(), self._api_key)
        turn.started = True
        try:
            event = first
            while event is not None:
                for chunk in self._on_event(event, turn):
                    yield chunk
                event = await anext(stream, None)
        finally:
            await close_stream(stream)

    def _on_event(self, event: Any, turn: Turn) -> list[BaseStreamChunk]:
        kind = event.type
        if kind == "content_block_delta":
            delta = event.delta
            if delta.type == "text_delta":
                return [turn.content(delta.text)]
            if delta.type == "thinking_delta":
                return [turn.reasoning(delta.thinking)]
            if delta.type == "input_json_delta":
                turn.tools.add(event.index, arguments=delta.partial_json)
        elif kind == "content_block_start":
            block = event.content_block
            if block.type == "tool_use":
                turn.tools.add(event.index, id=block.id, name=block.name)
            elif block.type == "text" and block.text:
                return [turn.content(block.text)]
        elif kind == "message_start":
            turn.response_id = event.message.id
            turn.usage = event.message.usage.model_dump(exclude_none=True)
        elif kind == "message_delta" and event.usage is not None:
            turn.usage = {**(turn.usage or {}), **event.usage.model_dump(exclude_none=True)}
        return []

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

"""ChatCompletionsBackend [chatcompletion]: any OpenAI-compatible server by base_url.

vLLM, Ollama, LM Studio, llama.cpp server, OpenRouter and OpenAI itself; Grok and Azure build on it.
"""

from __future__ import annotations

from typing import Any, AsyncIterator

from massgen.errors import ConfigError
from massgen.formatter import MessageFormatter
from massgen.stream_chunk import BaseStreamChunk

from .openai_family import OpenAIFamilyBackend
from .provider_turn import ProviderTurn


class ChatCompletionsBackend(OpenAIFamilyBackend):
    """Chat Completions streaming: text, reasoning deltas (reasoning_content / reasoning), tool calls."""

    backend_type = "chatcompletion"
    OPTIONS = frozenset({"temperature", "max_tokens", "top_p", "extra_body", "include_usage", "headers"})

    def _check_endpoint(self) -> None:
        if not self.base_url:
            raise ConfigError(f"{self.label}: no base_url; set backend.base_url to the server's /v1 address "
                              "(e.g. http://localhost:11434/v1 for Ollama, http://localhost:8000/v1 for vLLM)")

    def request_params(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> dict[str, Any]:
        """The chat.completions.create arguments for one turn."""
        params: dict[str, Any] = {
            "model": self.model,
            "messages": MessageFormatter.to_chat_completions_format(messages, self.limits),
            "stream": True,
        }
        if self.options.get("include_usage", True):
            params["stream_options"] = {"include_usage": True}
        if tools:
            params["tools"] = MessageFormatter.format_tools(tools, "chat_completions")
        return self.copy_options(params, ("temperature", "max_tokens", "top_p", "extra_body"))

    async def _provider_stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
                               turn: ProviderTurn) -> AsyncIterator[BaseStreamChunk]:
        params = self.request_params(messages, tools)
        stream = await self.client().chat.completions.create(**params)
        turn.started = True
        async with stream:
            async for chunk in stream:
                turn.response_id = turn.response_id or getattr(chunk, "id", None)
                if getattr(chunk, "usage", None):
                    turn.usage = chunk.usage.model_dump()
                if not chunk.choices:
                    continue
                for out in self._on_delta(chunk.choices[0].delta, turn):
                    yield out

    def _on_delta(self, delta: Any, turn: ProviderTurn) -> list[BaseStreamChunk]:
        out: list[BaseStreamChunk] = []
        reasoning = getattr(delta, "reasoning_content", None) or getattr(delta, "reasoning", None)
        if isinstance(reasoning, str) and reasoning:
            out.append(turn.reasoning(reasoning))
        if delta.content:
            out.append(turn.content(delta.content))
        for call in delta.tool_calls or []:
            function = call.function
            key = call.index if call.index is not None else (call.id or len(turn.tools))  # some servers omit index
            turn.tools.add(key, id=call.id, name=function.name if function else None,
                           arguments=function.arguments if function else None)
        return out

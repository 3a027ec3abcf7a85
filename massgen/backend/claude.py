"""ClaudeBackend [claude]: Anthropic Messages streaming: text, thinking, tool use; images (base64 and URL)
and PDFs as document blocks (built by MessageFormatter.to_claude_format). PDFs too large to go inline
go up through the Files API first (claude_files), and the request then names them by file id.

The SDK's retries are off: it would honour any Retry-After, however long; retry.open_stream caps it.
"""

from __future__ import annotations

from typing import Any, AsyncIterator

from massgen.formatter import MessageFormatter
from massgen.media.limits import MB
from massgen.stream_chunk import BaseStreamChunk

from .claude_files import FILES_BETA, ClaudeUploader, pending_uploads
from .gemini_upload import replace_items
from .retry import close_stream, open_stream
from .streaming import StreamingBackend
from .provider_turn import ProviderTurn

DEFAULT_MAX_TOKENS = 8192
INLINE_REQUEST_MAX = 32 * MB  # the Messages API's request limit, which inline PDFs count towards


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
        self.uploader = ClaudeUploader()

    def get_max_media_size(self, media_type: str) -> int | None:
        """What this backend can send: inline up to the table's limit, through the Files API beyond it."""
        limit = self.media_limit(media_type)
        return None if limit is None else (limit.upload_max_bytes or limit.max_bytes)

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

    def request_params(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
                       uploaded: bool = False) -> dict[str, Any]:
        """The messages.create arguments for one turn; `uploaded`: some items name Files API file ids."""
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
        if uploaded:
            params["extra_headers"] = {"anthropic-beta": self._betas()}
        return params

    def _betas(self) -> str:
        """The Files API beta, after any the team file's headers already ask for."""
        headers = {k.lower(): v for k, v in (self.options.get("headers") or {}).items()}
        given = [b.strip() for b in str(headers.get("anthropic-beta", "")).split(",") if b.strip()]
        return ",".join([*given, *([] if FILES_BETA in given else [FILES_BETA])])

    async def _provider_stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
                               turn: ProviderTurn) -> AsyncIterator[BaseStreamChunk]:
        client = self.client()
        messages = MessageFormatter.share_media(messages)
        pending = pending_uploads(messages, INLINE_REQUEST_MAX, self.limits)
        for item in pending:
            async for progress in self.uploader.upload_with_progress(client, item, turn.source):
                yield progress
        replacements = {(item.message, item.index): item.uploaded for item in pending}
        params = self.request_params(replace_items(messages, replacements), tools, uploaded=bool(pending))
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

    def _on_event(self, event: Any, turn: ProviderTurn) -> list[BaseStreamChunk]:
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

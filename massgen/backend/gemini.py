"""GeminiBackend [gemini]: google-genai's async client: text, thoughts, function calls, image output.

Image, audio, video and PDF parts come from MessageFormatter.to_gemini_request; media too large to
go inline go up through the Files API first (gemini_upload). The SDK has no timeout and ignores
Retry-After by default, so every client gets a timeout and retry.open_stream does the retrying.
"""

from __future__ import annotations

import base64
from typing import Any, AsyncIterator

from massgen.formatter import MessageFormatter
from massgen.media.limits import MB, parse_size
from massgen.stream_chunk import BaseStreamChunk

from .gemini_upload import GeminiUploader, replace_items, report_upload_progress, to_upload
from .media_out import media_chunk
from .retry import close_stream, open_stream
from .streaming import StreamingBackend
from .provider_turn import ProviderTurn

DEFAULT_API_VERSION = "v1beta"
INLINE_REQUEST_MAX = 20 * MB
_CONFIG_OPTIONS = ("temperature", "top_p", "max_output_tokens", "response_modalities")


class GeminiBackend(StreamingBackend):
    """Options: temperature, top_p, max_output_tokens (or max_tokens), thinking (thinking_config), response_modalities,
    api_version, inline_max_bytes, file_poll_interval, file_active_timeout, headers."""

    backend_type = "gemini"
    OPTIONS = frozenset({*_CONFIG_OPTIONS, "max_tokens", "thinking", "api_version", "inline_max_bytes",
                         "file_poll_interval", "file_active_timeout", "headers"})

    def __init__(self, model: str | None = None, api_key: str | None = None, base_url: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(model, api_key, base_url, **kwargs)
        self._client: Any = None
        self._http: Any = None
        self.uploader = GeminiUploader(float(self.options.get("file_poll_interval", 1.0)),
                                       float(self.options.get("file_active_timeout", 300.0)))

    def get_max_media_size(self, media_type: str) -> int | None:
        """What this backend can send: inline up to the table's limit, through the Files API beyond it."""
        limit = self.media_limit(media_type)
        return None if limit is None else (limit.upload_max_bytes or limit.max_bytes)

    def provider_errors(self) -> tuple[type[BaseException], ...]:
        from google.genai import errors

        return (*super().provider_errors(), errors.APIError, errors.UnknownApiResponseError)

    def client(self) -> Any:
        """The genai Client, kept referenced (collecting it closes its connection pool)."""
        if self._client is None:
            import httpx2
            from google import genai

            # Our own httpx2 client keeps google-genai off aiohttp where that is installed (it would
            # switch, with other exceptions and hidden retries); proxy settings still come from the env.
            self._http = httpx2.AsyncClient(event_hooks={"response": [report_upload_progress]})  # upload progress
            options: dict[str, Any] = {"api_version": self.options.get("api_version", DEFAULT_API_VERSION),
                                       "timeout": int(self.policy.timeout * 1000), "httpx_async_client": self._http}
            if self.base_url:
                options["base_url"] = self.base_url
            if self.options.get("headers"):
                options["headers"] = dict(self.options["headers"])
            self._client = genai.Client(api_key=self._api_key, http_options=options)
        return self._client

    def inline_max_bytes(self) -> int:
        """The most inline media one request may carry (Gemini counts the whole request)."""
        return parse_size(self.options.get("inline_max_bytes", INLINE_REQUEST_MAX))

    def response_modalities(self) -> list[str] | None:
        """Ask for image output only from image models: text models reject the IMAGE modality."""
        if self.options.get("response_modalities") is not None:
            return [str(m).upper() for m in self.options["response_modalities"]]
        if self.supports_multimodal_output().get("image") and "image" in str(self.model).lower():
            return ["TEXT", "IMAGE"]
        return None

    def request_config(self, system: str | None, tools: list[dict[str, Any]]) -> dict[str, Any]:
        """The GenerateContentConfig (as a dict) for one turn."""
        config: dict[str, Any] = {"automatic_function_calling": {"disable": True}}
        if system:
            config["system_instruction"] = system
        if tools:
            config["tools"] = MessageFormatter.format_tools(tools, "gemini")
        for name in _CONFIG_OPTIONS:
            if self.options.get(name) is not None:
                config[name] = self.options[name]
        if self.options.get("max_tokens") and "max_output_tokens" not in config:
            config["max_output_tokens"] = int(self.options["max_tokens"])
        modalities = self.response_modalities()
        if modalities:
            config["response_modalities"] = modalities
        if self.options.get("thinking") is not None:
            config["thinking_config"] = self.options["thinking"]
        return config

    async def _provider_stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
                               turn: ProviderTurn) -> AsyncIterator[BaseStreamChunk]:
        client = self.client()
        messages = MessageFormatter.share_media(messages)
        pending = to_upload(messages, self.inline_max_bytes(), self.limits)
        for item in pending:
            async for progress in self.uploader.upload_with_progress(client, item, turn.source):
                yield progress
        replacements = {(item.message, item.index): item.uploaded for item in pending}
        contents, system = MessageFormatter.to_gemini_request(replace_items(messages, replacements), self.limits)
        config = self.request_config(system, tools)
        stream, first = await open_stream(
            lambda: client.aio.models.generate_content_stream(model=self.model, contents=contents, config=config),
            self.policy, self.label, self.provider_errors(), self._api_key)
        turn.started = True
        try:
            chunk = first
            while chunk is not None:
                for out in self._on_chunk(chunk, turn):
                    yield out
                chunk = await anext(stream, None)
        finally:
            await close_stream(stream)

    def _on_chunk(self, chunk: Any, turn: ProviderTurn) -> list[BaseStreamChunk]:
        turn.response_id = chunk.response_id or turn.response_id
        if chunk.usage_metadata is not None:
            turn.usage = chunk.usage_metadata.model_dump(exclude_none=True)
        out: list[BaseStreamChunk] = []
        for candidate in (chunk.candidates or [])[:1]:
            for part in (candidate.content.parts if candidate.content else None) or []:
                out.extend(self._on_part(part, turn))
        return out

    def _on_part(self, part: Any, turn: ProviderTurn) -> list[BaseStreamChunk]:
        if part.text:
            return [turn.reasoning(part.text) if part.thought else turn.content(part.text)]
        if part.function_call is not None:
            call = part.function_call
            key = len(turn.tools)
            extra = {"thought_signature": _b64(part.thought_signature)} if part.thought_signature else None
            turn.tools.add(("gemini", key), id=call.id, name=call.name, extra=extra)
            turn.tools.set_arguments(("gemini", key), dict(call.args or {}))
        elif part.inline_data is not None and part.inline_data.data:
            media_id = f"{turn.response_id or 'gemini'}-image-{len(turn.media) + 1}"
            chunk = media_chunk(source=turn.source, media_id=media_id, data=part.inline_data.data,
                                continuation_id=turn.response_id, generator=self.backend_type)
            return [turn.add_media(chunk)]
        return []

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aio.aclose()
            await self._http.aclose()
            self._client = self._http = None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")

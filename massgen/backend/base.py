"""LLMBackend: what every provider backend offers the team, whatever its wire protocol."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, AsyncIterator, Generator, Mapping

from massgen.errors import ConfigError
from massgen.media.limits import BackendLimits, MediaLimit, as_media_type, limits_for
from massgen.providers import Provider, api_key as find_api_key, chat_provider, missing_key_message, needs_key
from massgen.stream_chunk import BaseStreamChunk

__all__ = ["ChunkStream", "ConfigError", "LLMBackend"]


class ChunkStream:
    """An async iterator of chunks that can also be awaited (giving itself): `await backend.stream_with_tools(...)`
    is how older callers take the stream, `async for` how the rest do."""

    def __init__(self, agen: AsyncIterator[BaseStreamChunk]) -> None:
        self._agen = agen

    def __aiter__(self) -> "ChunkStream":
        return self

    async def __anext__(self) -> BaseStreamChunk:
        return await self._agen.__anext__()

    async def aclose(self) -> None:
        aclose = getattr(self._agen, "aclose", None)
        if aclose is not None:
            await aclose()

    async def __aenter__(self) -> "ChunkStream":
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Leaving the block early closes the provider's HTTP stream at once, not at garbage collection."""
        await self.aclose()

    def __await__(self) -> Generator[Any, None, "ChunkStream"]:
        return self._itself().__await__()

    async def _itself(self) -> "ChunkStream":
        return self


class LLMBackend(ABC):
    """Base of all backends: key, server, capabilities and limits from the provider table, streaming in subclasses.

    `backend_type` names the provider a class serves; an instance of a shared class (Chat Completions
    for OpenAI-compatible presets) takes the name of the provider it was built for.
    """

    backend_type: str = ""

    def __init__(
        self,
        model: str | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        multimodal_capabilities: Mapping[str, Any] | None = None,
        media_limits: Mapping[str, Any] | None = None,
        agent_id: str | None = None,
        provider: str | None = None,
        **options: Any,
    ) -> None:
        self.provider: Provider = chat_provider(provider or self.backend_type, base_url)
        self.backend_type = self.provider.name
        self.model = model or self.provider.model("chat")
        self.base_url = base_url or self.provider.base_url
        self.agent_id = agent_id
        self.options = options
        self._api_key = api_key or find_api_key(self.provider)
        if needs_key(self.provider) and not self._api_key and self.requires_key():
            raise ConfigError(missing_key_message(self.provider, agent_id or ""))
        self.limits: BackendLimits = limits_for(self.backend_type, _overrides(multimodal_capabilities, media_limits))

    def requires_key(self) -> bool:
        """Whether a missing key is fatal (a local server by base_url may need none)."""
        return True

    def __repr__(self) -> str:  # never show the key
        return f"<{type(self).__name__} model={self.model!r} base_url={self.base_url!r}>"

    def supports_multimodal_input(self) -> dict[str, bool]:
        return self.limits.capabilities()

    def supports_multimodal_output(self) -> dict[str, bool]:
        return self.limits.output_capabilities()

    def get_max_media_size(self, media_type: str) -> int | None:
        return self.limits.max_bytes(media_type)

    def media_limit(self, media_type: str) -> MediaLimit | None:
        return self.limits.limit(media_type)

    def validate_media_input(self, media_type: str, media_data: Any) -> bool:
        """Whether this backend takes `media_data` (bytes, base64 text, or anything with a size) as is."""
        try:
            limit = self.limits.limit(as_media_type(media_type))
        except ValueError:
            return False
        if limit is None:
            return False
        size, most = _size_of(media_data), self.get_max_media_size(media_type)
        return most is None or size is None or size <= most

    def stream_with_tools(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> ChunkStream:
        """Stream one assistant turn as chunks (see docs/CONTRACTS.md for the order)."""
        return ChunkStream(self._stream(messages, list(tools or [])))

    @abstractmethod
    def _stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> AsyncIterator[BaseStreamChunk]:
        """The provider-specific async generator behind `stream_with_tools`."""

    async def aclose(self) -> None:
        """Release clients and connections (on the event loop that used them)."""

    async def __aenter__(self) -> "LLMBackend":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _overrides(capabilities: Mapping[str, Any] | None, media_limits: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if capabilities:
        if capabilities.get("input") is not None:
            out["input"] = list(capabilities["input"])
        if capabilities.get("output") is not None:
            out["output"] = list(capabilities["output"])
    if media_limits:
        out["max_bytes"] = dict(media_limits)
    return out


def _size_of(data: Any) -> int | None:
    """Decoded size in bytes: base64 text counts as the bytes it encodes."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return len(data)
    if isinstance(data, str):
        if data.startswith("data:") and "," in data:
            data = data.split(",", 1)[1]
        padding = len(data) - len(data.rstrip("="))
        return len(data) * 3 // 4 - padding
    size = getattr(data, "size_bytes", None)
    return size if isinstance(size, int) else None

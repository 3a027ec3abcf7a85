"""What the backends on the openai SDK share: the async client, its timeouts and retries, its errors.

The SDK's own retries are used, set explicitly: they honour Retry-After (up to 120 s; longer waits
fail at once) and retry 408/409/429/5xx and connection errors before the stream starts.
"""

from __future__ import annotations

from typing import Any

from massgen.errors import ConfigError

from .streaming import StreamingBackend

PLACEHOLDER_KEY = "no-key"  # local servers need no key, but the SDK insists on a non-empty one


class OpenAIFamilyBackend(StreamingBackend):
    """Base of the Chat Completions and Responses backends (and so of Grok and Azure)."""

    def __init__(self, model: str | None = None, api_key: str | None = None, base_url: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(model, api_key, base_url, **kwargs)
        if not self.model:
            raise ConfigError(f"{self.label}: no model; set backend.model")
        self._check_endpoint()
        self._client: Any = None

    def _check_endpoint(self) -> None:
        """Raise ConfigError when this backend cannot know where to send requests."""

    def provider_errors(self) -> tuple[type[BaseException], ...]:
        import openai

        return (*super().provider_errors(), openai.APIError)

    def client(self) -> Any:
        """The SDK's async client, built on first use (importing openai costs start-up time)."""
        if self._client is None:
            self._client = self._make_client()
        return self._client

    def _make_client(self) -> Any:
        import openai

        return openai.AsyncOpenAI(api_key=self._api_key or PLACEHOLDER_KEY, base_url=self.base_url,
                                  timeout=self.policy.openai_style_timeout(), max_retries=self.policy.max_retries,
                                  default_headers=self.options.get("headers"))

    def copy_options(self, params: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
        """Pass the named YAML options through to the request, where set."""
        for name in names:
            if self.options.get(name) is not None:
                params[name] = self.options[name]
        return params

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

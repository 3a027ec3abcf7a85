"""AzureOpenAIBackend [azure_openai]: Chat Completions on an Azure deployment (`api-key` header, api-version).

Whether a deployment sees images depends on its model: names of vision model families turn image
input on; YAML `multimodal_capabilities` decides otherwise.
"""

from __future__ import annotations

import os
import re
from typing import Any

from massgen.errors import ConfigError

from .chat_completions import ChatCompletionsBackend

DEFAULT_API_VERSION = "2024-10-21"
_VISION_NAMES = re.compile(r"gpt-?4o|gpt-?4\.1|gpt-?4-turbo|gpt-?4v|vision|gpt-?5|(?:^|[^a-z])o[34](?:$|[^a-z0-9])",
                           re.IGNORECASE)


def looks_like_vision(name: str | None) -> bool:
    """Whether a deployment or model name belongs to a family that takes image input."""
    return bool(name and _VISION_NAMES.search(name))


class AzureOpenAIBackend(ChatCompletionsBackend):
    """Options: `deployment` (defaults to the model), `api_version`; endpoint from base_url or AZURE_OPENAI_ENDPOINT."""

    backend_type = "azure_openai"
    OPTIONS = ChatCompletionsBackend.OPTIONS | {"deployment", "api_version"}

    def __init__(self, model: str | None = None, api_key: str | None = None, base_url: str | None = None,
                 **kwargs: Any) -> None:
        deployment = kwargs.get("deployment") or model
        if kwargs.get("multimodal_capabilities") is None and looks_like_vision(deployment):
            kwargs["multimodal_capabilities"] = {"input": ["image"]}
        base_url = base_url or os.environ.get("AZURE_OPENAI_ENDPOINT")
        super().__init__(model or deployment, api_key, base_url, **kwargs)
        self.deployment = deployment or self.model
        self.api_version = str(self.options.get("api_version") or os.environ.get("OPENAI_API_VERSION")
                               or DEFAULT_API_VERSION)

    def _check_endpoint(self) -> None:
        if not self.base_url:
            raise ConfigError(f"{self.label}: no endpoint; set AZURE_OPENAI_ENDPOINT or backend.base_url "
                              "(https://<resource>.openai.azure.com)")

    def _make_client(self) -> Any:
        import openai

        return openai.AsyncAzureOpenAI(api_key=self._api_key, azure_endpoint=self.base_url,
                                       azure_deployment=self.deployment, api_version=self.api_version,
                                       timeout=self.policy.openai_style_timeout(), max_retries=self.policy.max_retries,
                                       default_headers=self.options.get("headers"))

"""GrokBackend [grok]: xAI's OpenAI-compatible Chat Completions endpoint, with image input."""

from __future__ import annotations

from .chat_completions import ChatCompletionsBackend


class GrokBackend(ChatCompletionsBackend):
    """Grok through https://api.x.ai/v1 (or any base_url); the key comes from XAI_API_KEY."""

    backend_type = "grok"

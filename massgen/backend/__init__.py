"""massgen.backend: LLMBackend and one backend per provider, all streaming massgen.stream_chunk chunks.

Names are exported lazily, so importing this package imports no provider SDK.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "LLMBackend": "base", "ChunkStream": "base", "ConfigError": "base",
    "StreamingBackend": "streaming", "create_backend": "factory", "backend_class": "factory",
    "ResponseBackend": "response", "ChatCompletionsBackend": "chat_completions", "GrokBackend": "grok",
    "AzureOpenAIBackend": "azure_openai", "ClaudeBackend": "claude", "GeminiBackend": "gemini",
    "CLIBasedBackend": "cli_base", "ClaudeCodeBackend": "claude_code",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'massgen.backend' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])

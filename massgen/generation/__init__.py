"""massgen.generation: make images, video and audio with any configured backend (or offline).

`generate_media(...)` yields MEDIA_PROGRESS and MEDIA chunks; `tools_for_agent(tool_configs)` turns
YAML tool entries into function tools; the registry and selector are plain data and functions.
Provider SDKs are imported only by the backend module that uses them.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "generate_media": "generate",
    "GenerationRequest": "config",
    "GenerationError": "errors",
    "GenerationInputError": "errors",
    "BackendUnavailable": "errors",
    "ContinuationStore": "store",
    "Continuation": "store",
    "ContinuationError": "store",
    "Selection": "selector",
    "select": "selector",
    "BACKENDS": "registry",
    "PRIORITY": "registry",
    "AgentTool": "agent_tools",
    "ToolContext": "agent_tools",
    "tools_for_agent": "agent_tools",
    "extract_text": "text_extraction",
    "transcribe": "audio_openai",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Load the submodule that holds `name` on first use (keeps `import massgen.generation` cheap)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'massgen.generation' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)

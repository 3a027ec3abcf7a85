"""The one table of backend types: which class serves each YAML `backend.type`, and which key it needs.

Pure data, no SDK imports, so config validation and the UI can read it at no cost.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class BackendType:
    """One YAML `backend.type`; `key_env` lists env vars of which any one supplies the key."""

    name: str
    class_path: str
    key_env: tuple[str, ...] = ()
    default_model: str | None = None
    default_base_url: str | None = None
    aliases: tuple[str, ...] = ()
    label: str = ""


BACKEND_TYPES: dict[str, BackendType] = {
    t.name: t
    for t in (
        BackendType("openai", "massgen.backend.response:ResponseBackend", ("OPENAI_API_KEY",), "gpt-5.4-mini",
                    aliases=("response", "responses"), label="OpenAI"),
        BackendType("chatcompletion", "massgen.backend.chat_completions:ChatCompletionsBackend", (), None,
                    aliases=("chat_completions", "chatcompletions", "openai_compatible", "local"), label="OpenAI-compatible"),
        BackendType("grok", "massgen.backend.grok:GrokBackend", ("XAI_API_KEY",), "grok-4", "https://api.x.ai/v1",
                    aliases=("xai",), label="Grok"),
        BackendType("azure_openai", "massgen.backend.azure_openai:AzureOpenAIBackend", ("AZURE_OPENAI_API_KEY",), None,
                    aliases=("azure",), label="Azure OpenAI"),
        BackendType("claude", "massgen.backend.claude:ClaudeBackend", ("ANTHROPIC_API_KEY",), "claude-sonnet-4-6",
                    aliases=("anthropic",), label="Claude"),
        BackendType("gemini", "massgen.backend.gemini:GeminiBackend", ("GEMINI_API_KEY", "GOOGLE_API_KEY"), "gemini-3.5-flash",
                    aliases=("google",), label="Gemini"),
        BackendType("claude_code", "massgen.backend.claude_code:ClaudeCodeBackend", (), "sonnet", label="Claude Code"),
        BackendType("demo", "massgen.demo.backend:DemoBackend", (), "offline-demo", label="Offline demo"),
    )
}

_ALIASES = {alias: t.name for t in BACKEND_TYPES.values() for alias in (t.name, *t.aliases)}


def resolve_type(name: str) -> BackendType:
    """The catalog entry for a type name or alias (case-insensitive); ValueError lists the known ones."""
    key = _ALIASES.get(str(name).strip().lower())
    if key is None:
        known = ", ".join(sorted(BACKEND_TYPES))
        raise ValueError(f"backend type {name!r} is not one of: {known}")
    return BACKEND_TYPES[key]


def find_api_key(backend: BackendType, environ: Mapping[str, str] | None = None) -> str | None:
    """The first non-empty key among `backend.key_env` in the environment."""
    env = os.environ if environ is None else environ
    for var in backend.key_env:
        value = env.get(var, "").strip()
        if value:
            return value
    return None


def missing_key_message(backend: BackendType, who: str = "") -> str:
    """One line naming the variable(s) to set; never includes a key value."""
    names = " or ".join(backend.key_env)
    prefix = f"{who} ({backend.name}): " if who else f"{backend.name}: "
    return f"{prefix}no API key; set {names} or give backend.api_key"

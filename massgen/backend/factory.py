"""create_backend: a YAML `backend:` mapping -> the backend object, its class imported only now."""

from __future__ import annotations

import difflib
import importlib
from typing import Any, Mapping

from massgen.errors import ConfigError
from massgen.providers import chat_names, chat_provider, chat_types

from .base import LLMBackend


def backend_class(type_name: str, who: str = "agent") -> type[LLMBackend]:
    """The class serving a `backend.type` (or alias), imported lazily from the provider table's class path."""
    try:
        provider = chat_provider(type_name)
    except ValueError as exc:
        close = difflib.get_close_matches(str(type_name).lower(), chat_names(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError(f"{who}: {exc}{hint}") from None
    module_name, _, class_name = str(provider.chat_class).partition(":")
    cls: type[LLMBackend] = getattr(importlib.import_module(module_name), class_name)
    return cls


def create_backend(backend_config: Mapping[str, Any], agent_id: str | None = None,
                   multimodal_capabilities: Mapping[str, Any] | None = None,
                   media_limits: Mapping[str, Any] | None = None) -> LLMBackend:
    """Build one backend; `type` picks the provider and its class, every other key is a constructor option.

    Takes `AgentConfig.backend_options()` as is (its `agent_id` key stands for the argument).
    `multimodal_capabilities` and `media_limits` (the agent's YAML overrides) win over the same keys
    inside `backend_config`. Missing keys and unknown options raise ConfigError, before anything streams.
    """
    if not isinstance(backend_config, Mapping):
        raise ConfigError(f"{agent_id or 'agent'}: backend must be a mapping with a 'type', not "
                          f"{type(backend_config).__name__}")
    options = dict(backend_config)
    type_name = options.pop("type", None)
    agent_id = agent_id or options.pop("agent_id", None)
    options.pop("agent_id", None)
    if not type_name:
        raise ConfigError(f"{agent_id or 'agent'}: backend.type is missing; use one of: {', '.join(chat_types())}")
    if multimodal_capabilities is not None:
        options["multimodal_capabilities"] = multimodal_capabilities
    if media_limits is not None:
        options["media_limits"] = media_limits
    cls = backend_class(str(type_name), agent_id or "agent")
    return cls(agent_id=agent_id, provider=chat_provider(str(type_name)).name, **options)

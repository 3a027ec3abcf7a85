"""Building an agent's backend and media-tool runner from its config (imports happen only here, late)."""

from __future__ import annotations

from typing import Any


def build_backend(agent: Any) -> Any:
    """The agent's LLMBackend from its `backend:` mapping; ConfigError (a ValueError) names what to set."""
    from massgen.backend import create_backend

    return create_backend(agent.backend_options(), agent.id)


def build_tool_runner(agent: Any, session: Any) -> Any:
    """A runner for the agent's media tools (image generation ...), or None when it has none."""
    tools = list(getattr(agent, "all_tools", None) or getattr(agent, "tools", None) or [])
    if not tools:
        return None
    from .agent_tools import GenerationTools

    return GenerationTools.for_agent(tools, session)

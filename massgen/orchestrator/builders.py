"""Building an agent's backend and media-tool runner from its config (imports happen only here, late)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from massgen.session import RunSession

if TYPE_CHECKING:
    from massgen.backend.base import LLMBackend
    from massgen.config import AgentConfig

    from .agent_tools import GenerationTools


def build_backend(agent: "AgentConfig") -> "LLMBackend":
    """The agent's LLMBackend from its `backend:` mapping; ConfigError (a ValueError) names what to set."""
    from massgen.backend import create_backend

    return create_backend(agent.backend_options(), agent.id)


def build_tool_runner(agent: "AgentConfig", session: RunSession) -> "GenerationTools | None":
    """A runner for the agent's media tools (image generation ...), or None when it has none."""
    tools = agent.all_tools
    if not tools:
        return None
    from .agent_tools import GenerationTools

    return GenerationTools.for_agent(tools, session)

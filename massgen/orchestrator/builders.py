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

    options = agent.backend_options()
    agent_id = options.pop("agent_id", agent.id)
    capabilities = options.pop("multimodal_capabilities", None)
    limits = options.pop("media_limits", None)
    return create_backend(options, agent_id=agent_id, multimodal_capabilities=capabilities, media_limits=limits)


def build_tool_runner(agent: "AgentConfig", session: RunSession) -> "GenerationTools | None":
    """A runner for the agent's media tools (image generation ...), or None when it has none."""
    tools = agent.all_tools
    if not tools:
        return None
    from .agent_tools import GenerationTools

    return GenerationTools.for_agent(tools, session)

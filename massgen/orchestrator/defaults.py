"""The team used when no --config is given: one agent per provider whose key is set, else the offline demo."""

from __future__ import annotations

from typing import Any, Mapping

from massgen.backend.catalog import BACKEND_TYPES, find_api_key
from massgen.demo.team import load_demo_team

# Providers a default team draws from, in panel order: (catalog type, agent id).
PROVIDERS = (("openai", "openai"), ("claude", "claude"), ("gemini", "gemini"), ("grok", "grok"))
TEAM_SYSTEM = ("You are a careful expert on a small team. Answer the task well, in Markdown; "
               "improve on the other answers where you can, and vote for the best one when it cannot be bettered.")


def default_team(environ: Mapping[str, str]) -> tuple[Any, str]:
    """(team, one-line notice): a team of the providers whose keys are set, or else the offline demo."""
    found = [(type_name, agent_id) for type_name, agent_id in PROVIDERS
             if find_api_key(BACKEND_TYPES[type_name], environ)]
    if not found:
        names = [BACKEND_TYPES[t].key_env[0] for t, _ in PROVIDERS]
        variables = ", ".join(names[:-1]) + f" or {names[-1]}"
        notice = (f"Offline demo team (no API keys found). To use real models, set {variables}, "
                  "or pass --config with a team file (examples in configs/ of the massgen-tui repository).")
        return load_demo_team(), notice
    from massgen.config import from_dict

    agents = [_agent(type_name, agent_id, first=i == 0) for i, (type_name, agent_id) in enumerate(found)]
    team = from_dict({"agents": agents}, "<default team from API keys>")
    labels = ", ".join(f"{BACKEND_TYPES[t].label} ({_key_var(t, environ)})" for t, _ in found)
    return team, f"Team from your API keys: {labels}. Use --config FILE to choose another team."


def _agent(type_name: str, agent_id: str, first: bool) -> dict[str, Any]:
    agent: dict[str, Any] = {"id": agent_id, "backend": {"type": type_name}, "system_message": TEAM_SYSTEM}
    if first:  # one agent may draw; the generation selector picks a backend whose key is set
        agent["tools"] = [{"name": "generate_image", "type": "image_generation"}]
    return agent


def _key_var(type_name: str, environ: Mapping[str, str]) -> str:
    """The name (never the value) of the variable that supplied the key."""
    return next(v for v in BACKEND_TYPES[type_name].key_env if environ.get(v, "").strip())

"""The team used when no --config is given: one agent per provider whose key is set, else the offline demo."""

from __future__ import annotations

from typing import Any, Mapping

from massgen.demo.team import load_demo_team
from massgen.providers import PROVIDERS, api_key

# Providers a default team draws from, in panel order; each agent is named after its provider.
TEAM_PROVIDERS = ("openai", "claude", "gemini", "grok")
TEAM_SYSTEM = ("You are a careful expert on a small team. Answer the task well, in Markdown; "
               "improve on the other answers where you can, and vote for the best one when it cannot be bettered.")


def default_team(environ: Mapping[str, str]) -> tuple[Any, str]:
    """(team, one-line notice): a team of the providers whose keys are set, or else the offline demo."""
    found = [name for name in TEAM_PROVIDERS if api_key(PROVIDERS[name], environ)]
    if not found:
        names = [PROVIDERS[name].key_env[0] for name in TEAM_PROVIDERS]
        variables = ", ".join(names[:-1]) + f" or {names[-1]}"
        notice = (f"Offline demo team (no API keys found). To use real models, set {variables}, "
                  "or pass --config with a team file (examples in configs/ of the massgen-tui repository).")
        return load_demo_team(), notice
    from massgen.config import from_dict

    agents = [_agent(name, first=i == 0) for i, name in enumerate(found)]
    team = from_dict({"agents": agents}, "<default team from API keys>")
    labels = ", ".join(f"{PROVIDERS[name].label} ({_key_var(name, environ)})" for name in found)
    return team, f"Team from your API keys: {labels}. Use --config FILE to choose another team."


def _agent(name: str, first: bool) -> dict[str, Any]:
    agent: dict[str, Any] = {"id": name, "backend": {"type": name}, "system_message": TEAM_SYSTEM}
    if first:  # one agent may draw; the generation selector picks a backend whose key is set
        agent["tools"] = [{"name": "generate_image", "type": "image_generation"}]
    return agent


def _key_var(name: str, environ: Mapping[str, str]) -> str:
    """The name (never the value) of the variable that supplied the key."""
    return next(v for v in PROVIDERS[name].key_env if environ.get(v, "").strip())

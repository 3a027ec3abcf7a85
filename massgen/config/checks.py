"""Checks across fields that a single model cannot see: renamed keys, duplicate ids, keys set twice, API keys."""

from __future__ import annotations

import os
from typing import Any, Mapping

from massgen.config.errors import Loc, format_loc, problem
from massgen.config.models import SECTION_RENAMES, TeamConfig
from massgen.config.yaml_source import SourceMap
from massgen.providers import api_key, chat_provider, missing_key_message, needs_key

Found = list[tuple[int, str]]  # (line, message); line 0 when unknown


def apply_renames(data: dict[str, Any], source: SourceMap) -> tuple[Found, Found]:
    """Move old key names to their new ones in place; (problems, warnings)."""
    problems: Found = []
    warnings: Found = []
    for section, renames in SECTION_RENAMES.items():
        body = data.get(section)
        if not isinstance(body, dict):
            continue
        for old, new in renames.items():
            if old not in body:
                continue
            loc = (section, old)
            line = source.line_of(loc) or 0
            value = body.pop(old)
            if new in body and body[new] != value:
                problems.append((line, problem(source.where(loc), loc, f"disagrees with {section}.{new}",
                                               f"keep only {section}.{new}")))
                continue
            body.setdefault(new, value)
            source.lines.setdefault((section, new), line)
            warnings.append((line, problem(source.where(loc), loc, f"is the old name of {section}.{new}",
                                           f"write `{new}:` instead (accepted for now)")))
    return problems, warnings


def duplicate_ids(data: dict[str, Any], source: SourceMap) -> Found:
    """Agent ids must be unique: chunks, panels and votes are routed by id."""
    found: Found = []
    first: dict[str, int] = {}
    agents = data.get("agents")
    for i, agent in enumerate(agents if isinstance(agents, list) else []):
        agent_id = agent.get("id") if isinstance(agent, dict) else None
        if not isinstance(agent_id, str):
            continue
        loc = ("agents", i, "id")
        if agent_id in first:
            found.append((source.line_of(loc) or 0, problem(
                source.where(loc), loc, f"duplicate agent id '{agent_id}' (also agents[{first[agent_id]}])",
                "give each agent its own id")))
        else:
            first[agent_id] = i
    return found


def set_twice(data: dict[str, Any], source: SourceMap) -> Found:
    """Capabilities and limits may sit on the agent or under its backend, but not in both places."""
    found: Found = []
    agents = data.get("agents")
    for i, agent in enumerate(agents if isinstance(agents, list) else []):
        backend = agent.get("backend") if isinstance(agent, dict) else None
        if not isinstance(backend, dict):
            continue
        for key in ("multimodal_capabilities", "media_limits"):
            if key in agent and key in backend:
                loc: Loc = ("agents", i, "backend", key)
                found.append((source.line_of(loc) or 0, problem(
                    source.where(loc), loc, f"also set at agents[{i}].{key}", "keep one of the two")))
        names = [t.get("name") for t in _tools(agent) + _tools(backend) if isinstance(t, dict)]
        for name in sorted({n for n in names if isinstance(n, str) and names.count(n) > 1}):
            loc = ("agents", i)
            found.append((source.line_of(loc) or 0, problem(
                source.where(loc), loc, f"two tools are named '{name}'", "give each tool its own name")))
    return found


def _tools(section: dict[str, Any]) -> list[Any]:
    tools = section.get("tools")
    return tools if isinstance(tools, list) else []


def keys_in_file(data: dict[str, Any], source: SourceMap) -> Found:
    """A key written into a config file is easy to leak (commits, screenshots); suggest the variable."""
    found: Found = []
    agents = data.get("agents")
    for i, agent in enumerate(agents if isinstance(agents, list) else []):
        backend = agent.get("backend") if isinstance(agent, dict) else None
        if not isinstance(backend, dict) or not backend.get("api_key"):
            continue
        names = " or ".join(_key_env(backend.get("type"), backend.get("base_url"))) or "an environment variable"
        loc = ("agents", i, "backend", "api_key")
        found.append((source.line_of(loc) or 0, problem(
            source.where(loc), loc, "an API key is written in the config", f"prefer setting {names}")))
    return found


def _key_env(type_name: Any, base_url: Any) -> tuple[str, ...]:
    try:
        return chat_provider(type_name, base_url if isinstance(base_url, str) else None).key_env
    except ValueError:
        return ()


def check_api_keys(team: TeamConfig, environ: Mapping[str, str] | None = None) -> list[str]:
    """One line per agent whose backend needs a key that neither the config nor the environment gives.

    An OpenAI-compatible agent whose base_url is a known provider's host needs that provider's key.
    """
    env = os.environ if environ is None else environ
    source: SourceMap | None = team._lines
    out = []
    for i, agent in enumerate(team.agents):
        backend = agent.backend
        provider = chat_provider(backend.type, backend.base_url)
        if not needs_key(provider) or backend.has_key() or api_key(provider, env):
            continue
        message = missing_key_message(provider, f"{format_loc(('agents', i))} '{agent.id}'")
        out.append(f"{source.where(('agents', i, 'backend'))}: {message}" if source else message)
    return out

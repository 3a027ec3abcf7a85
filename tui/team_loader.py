"""The team the app runs: a config file, or (no config) the default team for the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from tui.app import AppOptions


@dataclass
class LoadedTeam:
    """A validated team config plus what the UI needs from it at a glance."""

    config: Any
    agents: list[tuple[str, str, str]]
    image_mode: str = "inline"
    save_outputs: bool = False
    display_type: str = "textual_terminal"
    notice: str = ""
    output_dir: Path | None = None


def describe_team(config: Any, notice: str = "") -> LoadedTeam:
    """Read the parts of a TeamConfig the UI shows: agents (id, backend type, model) and ui settings."""
    agents = [(a.id, a.backend.type, a.backend.model or _default_model(a.backend.type)) for a in config.agents]
    display = config.ui.multimodal_display
    notices = [notice, *getattr(config, "warnings", [])]
    return LoadedTeam(config=config, agents=agents, image_mode=display.images, save_outputs=display.save_outputs,
                      display_type=config.ui.display_type, notice="\n".join(n for n in notices if n),
                      output_dir=config.output_dir)


def _default_model(backend_type: str) -> str:
    from massgen.providers import chat_provider

    return chat_provider(backend_type).model("chat") or ""


def read_team(config_path: Path | None, environ: Mapping[str, str] | None = None) -> LoadedTeam:
    """The team from `config_path`, or the default team (the offline demo when no keys are set)."""
    if config_path is not None:
        from massgen.config import load_config

        return describe_team(load_config(config_path))
    from massgen.orchestrator import default_team

    config, notice = default_team(os.environ if environ is None else environ)
    return describe_team(config, notice)


def load_team(options: "AppOptions") -> LoadedTeam:
    """The app's loader: what the command line asked for."""
    return read_team(options.config, options.environ)

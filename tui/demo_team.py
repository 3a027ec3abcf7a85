"""The offline demo team at a chosen pace, for tests, benchmarks and screenshots (rate 0: no delays)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from tui.team_loader import LoadedTeam, describe_team

ROLES = ("planner", "artist", "critic")


def demo_team(agents: int = 3, image_mode: str = "inline") -> LoadedTeam:
    """The packaged demo team (3 agents), or `agents` demo agents cycling through its roles."""
    from massgen.config import from_dict
    from massgen.demo.team import load_demo_team

    if agents == 3:
        config = load_demo_team()
    else:
        base = load_demo_team()
        by_role = {a.id: a for a in base.agents}
        entries = []
        for n in range(agents):
            role = ROLES[n % len(ROLES)]
            entry = by_role[role].model_dump(mode="json", exclude_none=True)
            entry["id"] = f"{role}{n // len(ROLES) + 1}"
            entries.append(entry)
        config = from_dict({"agents": entries, "orchestrator": base.orchestrator.model_dump()}, "<demo team>")
    team = describe_team(config)
    team.image_mode = image_mode
    return team


def demo_factory(rate: float = 0.0) -> Callable[[Any, Any], Any]:
    """An orchestrator factory whose demo backends stream at `rate` words a second (0: as fast as possible)."""

    def build(config: Any, session: Any) -> Any:
        from massgen.backend import create_backend
        from massgen.orchestrator import Orchestrator

        backends = {
            agent.id: create_backend({"type": "demo", "stream_rate": rate, "system_message": agent.system_message},
                                     agent_id=agent.id)
            for agent in config.agents
        }
        return Orchestrator(config, session=session, backends=backends)

    return build


def demo_options(output_dir: Path | None = None, prompt: str | None = None, agents: int = 3,
                 rate: float = 0.0, image_mode: str = "inline") -> Any:
    """AppOptions for the real app on the demo team at `rate`."""
    from tui.app import AppOptions

    return AppOptions(output_dir=output_dir, prompt=prompt, team=demo_team(agents, image_mode),
                      orchestrator_factory=demo_factory(rate))

"""Each provider team in configs/ runs to a final answer through its real SDK backend against the fake
provider server, with new_answer/vote calls streamed in that provider's own format."""

from __future__ import annotations

from pathlib import Path

import pytest

from massgen.config import load_config_text
from massgen.orchestrator import Orchestrator
from massgen.session import Session
from massgen.stream_chunk import ChunkType

from fake_team import FINAL, fake_keys, playing_team, point_at

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
ROUTE_OF = {"openai.yaml": "openai.responses", "claude.yaml": "anthropic.messages", "gemini.yaml": "gemini.",
            "grok.yaml": "openai.chat", "azure_openai.yaml": "azure.chat", "local.yaml": "openai.chat"}


@pytest.mark.parametrize("name", sorted(ROUTE_OF))
async def test_provider_team_reaches_a_final_answer(name, fake_server, monkeypatch, tmp_path) -> None:
    fake_keys(monkeypatch, fake_server)
    team = load_config_text(point_at(fake_server, (CONFIGS / name).read_text(encoding="utf-8")), name)
    orch = Orchestrator(team, session=Session(tmp_path / "s"))
    with playing_team(fake_server):
        chunks = [chunk async for chunk in orch.run("Name three primary colours")]
    await orch.aclose()
    failed = [c.content for c in chunks if c.type == ChunkType.AGENT_STATUS and c.status == "failed"]
    assert failed == [] and orch.result.status == "done", orch.result.detail
    assert orch.result.final_answer == FINAL
    assert sum(orch.result.tally.values()) == len(team.agents)
    routes = {r.route for r in fake_server.requests}
    assert any(route.startswith(ROUTE_OF[name]) for route in routes), routes
    calls = [call["name"] for c in chunks if c.type == ChunkType.TOOL_CALLS for call in c.tool_calls]
    assert calls.count("new_answer") == len(team.agents) and "vote" in calls

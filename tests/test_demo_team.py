"""The offline demo team (configs/demo.yaml, shipped in the package) runs end to end: varied roles,
a real image drawn by the demo generator, votes that read its pixels, a saved and replayable session;
and the default team is the demo unless provider keys are set."""

from __future__ import annotations

import json
import re
from pathlib import Path

from massgen.config import load_config, load_config_text
from massgen.demo.team import demo_config_path
from massgen.orchestrator import Orchestrator, default_team
from massgen.session import Session, replay
from massgen.stream_chunk import ChunkType

REPO_DEMO = Path(__file__).resolve().parent.parent / "configs" / "demo.yaml"


def fast_demo_team():
    """demo.yaml as shipped, with the stream rate turned up so the test runs in well under a second."""
    text = demo_config_path().read_text(encoding="utf-8").replace("type: demo\n", "type: demo\n      stream_rate: 100000\n")
    return load_config_text(text, "demo.yaml")


async def test_the_demo_team_answers_draws_votes_and_saves_a_replayable_session(tmp_path) -> None:
    orch = Orchestrator(fast_demo_team(), session=Session(tmp_path / "session"))
    chunks = [chunk async for chunk in orch.run("Design a poster for a night market by the sea")]
    result = orch.result
    assert result.status == "done" and result.winner == "artist"
    assert result.tally == {"planner": 0, "artist": 3, "critic": 0}
    assert "## Final answer" in result.final_answer and "Offline demo" in result.final_answer

    answers = {c.source: c.tool_calls[0]["arguments"]["content"] for c in chunks
               if c.type == ChunkType.TOOL_CALLS and c.tool_calls[0]["name"] == "new_answer"}
    assert "## Plan:" in answers["planner"] and "## Review checklist" in answers["critic"]
    assert "## Image:" in answers["artist"]

    session = tmp_path / "session"
    (image,) = list((session / "media").iterdir())
    index = json.loads((session / "media.json").read_text())
    assert index[0]["file"] == f"media/{image.name}" and index[0]["continuation_id"].startswith("demo:")
    assert index[0]["width"] == 1024 and index[0]["height"] == 768
    votes = [c.tool_calls[0]["arguments"]["reason"] for c in chunks
             if c.type == ChunkType.TOOL_CALLS and c.tool_calls[0]["name"] == "vote"]
    assert any("1024x768 px, mostly" in reason for reason in votes)  # the voters looked at the pixels
    final = (session / "final_answer.md").read_text()
    assert f"](media/{image.name})" in final
    assert f"](../media/{image.name})" in (session / "answers" / "artist-answer-1.md").read_text()
    assert "**What it looks like:** 1024x768 px, mostly" in answers["artist"]  # the artist looked at its picture
    replayed = list(replay(session))
    assert len(replayed) == len(chunks) and replayed[-1].type == ChunkType.COMPLETE_RESPONSE
    assert any(c.type == ChunkType.MEDIA and Path(c.media_data) == image for c in replayed)


async def test_the_demo_team_is_deterministic_for_the_same_task(tmp_path) -> None:
    finals = []
    for run in range(2):
        orch = Orchestrator(fast_demo_team(), session=Session(tmp_path / f"s{run}"))
        async for _ in orch.run("Plan a picnic in the park"):
            pass
        # the generator names files by time and continuation ids at random; all else must match
        finals.append((orch.result.winner, re.sub(r"saved as .*", "", orch.result.final_answer)))
    assert finals[0] == finals[1] and "## Final answer" in finals[0][1]


async def test_the_demo_team_takes_a_follow_up(tmp_path) -> None:
    orch = Orchestrator(fast_demo_team(), session=Session(tmp_path / "s"))
    async for _ in orch.run("Draw a lighthouse"):
        pass
    async for _ in orch.run("Now make it a night scene"):
        pass
    assert orch.result.status == "done" and orch.result.task == "Now make it a night scene"
    assert len(list((tmp_path / "s" / "media").iterdir())) == 2
    assert (tmp_path / "s" / "final_answer-2.md").exists()


def test_the_demo_config_ships_in_the_package_and_the_repo_link_is_the_same_file() -> None:
    packaged = Path(str(demo_config_path()))
    assert packaged.is_file() and packaged.parent.name == "configs" and packaged.parent.parent.name == "massgen"
    assert REPO_DEMO.resolve() == packaged.resolve()
    team = load_config(REPO_DEMO)
    assert [a.id for a in team.agents] == ["planner", "artist", "critic"]
    assert all(a.backend.type == "demo" for a in team.agents)


def test_no_keys_means_the_demo_team_and_a_notice_on_how_to_use_real_models() -> None:
    team, notice = default_team({})
    assert [a.id for a in team.agents] == ["planner", "artist", "critic"]
    assert notice.startswith("Offline demo team (no API keys found).")
    assert "OPENAI_API_KEY" in notice and "--config" in notice and "\n" not in notice


def test_keys_in_the_environment_make_a_team_of_those_providers() -> None:
    secret = "sk-test-very-secret-1234"
    team, notice = default_team({"ANTHROPIC_API_KEY": secret, "GOOGLE_API_KEY": secret, "XAI_API_KEY": " "})
    assert [(a.id, a.backend.type) for a in team.agents] == [("claude", "claude"), ("gemini", "gemini")]
    assert [t.type for t in team.agents[0].all_tools] == ["image_generation"] and team.agents[1].all_tools == []
    assert notice == ("Team from your API keys: Claude (ANTHROPIC_API_KEY), Gemini (GOOGLE_API_KEY). "
                      "Use --config FILE to choose another team.")
    assert secret not in notice and secret not in team.model_dump_json()

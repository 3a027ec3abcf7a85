"""A claude_code agent (the fake `claude` CLI, built from the team config's cli_path) takes part in
coordination like any other: it answers and votes with ```tool_call blocks, and a broken block is
re-asked with the reason, not held against it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from massgen.config import from_dict
from massgen.orchestrator import Orchestrator
from massgen.session import Session
from massgen.stream_chunk import ChunkType

from orchestrator_helpers import words

FAKE_CLI = Path(__file__).parent / "fake_providers" / "fake_claude_cli.py"
TASK = "Write a haiku about rain"


def fake_claude(tmp_path: Path, mode: str) -> tuple[str, Path]:
    """An executable `claude` running the fake CLI in `mode`, recording every run to a .jsonl file."""
    record = tmp_path / "runs.jsonl"
    path = tmp_path / "claude"
    path.write_text(f'#!/bin/sh\nexport FAKE_CLAUDE_MODE={mode} FAKE_CLAUDE_RECORD="{record}"\n'
                    f'exec "{sys.executable}" "{FAKE_CLI}" "$@"\n')
    path.chmod(0o755)
    return str(path), record


def team(cli_path: str):
    agents = [
        {"id": "coder", "backend": {"type": "claude_code", "cli_path": cli_path, "timeout_seconds": 20},
         "system_message": "You are the coder."},
        {"id": "critic", "backend": {"type": "demo", "stream_rate": 0},
         "system_message": "You are the critic. Review the answers, then vote for the best one."},
    ]
    return from_dict({"agents": agents, "orchestrator": {"max_answers_per_agent": 1}}, "<claude_code team>")


async def run(tmp_path: Path, mode: str):
    cli, record = fake_claude(tmp_path, mode)
    orch = Orchestrator(team(cli), session=Session(tmp_path / "session"))
    try:
        chunks = [chunk async for chunk in orch.run(TASK)]
    finally:
        await orch.aclose()
    runs = [json.loads(line) for line in record.read_text().splitlines()]
    return orch.result, chunks, runs


def calls_of(chunks, source: str) -> list[dict]:
    return [call for c in chunks if c.type == ChunkType.TOOL_CALLS and c.source == source for call in c.tool_calls]


async def test_a_claude_code_agent_answers_and_its_vote_is_counted(tmp_path) -> None:
    result, chunks, runs = await run(tmp_path, "agent")
    assert result.status == "done", result.detail
    assert result.answers["coder"] == ["agent1.1"] and result.answers["critic"] == ["agent2.1"]
    assert result.votes["coder"]["reason"] == "fake CLI vote"  # the claude_code agent's vote counts
    assert result.votes["coder"]["target"] in ("coder", "critic")
    assert sum(result.tally.values()) == 2 and result.tally[result.winner] == max(result.tally.values())
    coder_calls = calls_of(chunks, "coder")
    assert [c["name"] for c in coder_calls] == ["new_answer", "vote"]
    assert coder_calls[0]["arguments"]["content"].startswith("Rain on the roof (fake Claude Code)")
    assert words(chunks, "coder")[-1] == "done" and "failed" not in words(chunks, "coder")
    shown = "".join(c.content for c in chunks if c.type == ChunkType.CONTENT and c.source == "coder")
    assert "tool_call" not in shown and "I have read the answers." in shown
    system = runs[0]["argv"][runs[0]["argv"].index("--append-system-prompt") + 1]
    assert system.startswith("You are the coder.") and "- new_answer: " in system and "- vote: " not in system
    assert "- vote: " in runs[1]["argv"][runs[1]["argv"].index("--append-system-prompt") + 1]


async def test_a_broken_block_is_re_asked_with_the_reason_and_then_counts(tmp_path) -> None:
    result, chunks, runs = await run(tmp_path, "sloppy_agent")
    assert result.status == "done", result.detail
    assert result.answers["coder"] == ["agent1.1"] and result.votes["coder"]["reason"] == "fake CLI vote"
    notes = [c.content for c in chunks if c.type == ChunkType.BACKEND_STATUS and c.source == "coder"]
    assert notes and "not valid JSON" in notes[0]
    reask = runs[1]
    assert "--resume" in reask["argv"]
    first_text = reask["stdin"][0]["message"]["content"][0]["text"]
    assert first_text.startswith("Your last tool_call block was not used: the tool_call block is not valid JSON")
    assert [c["name"] for c in calls_of(chunks, "coder")] == ["new_answer", "vote"]
    assert "failed" not in words(chunks, "coder") and len(runs) == 4  # each turn: a broken block, then a good one

"""Failure and interruption: an agent erroring or raising, a backend that cannot be built, the team's
time limit, cancel(), a consumer that stops reading, and misuse of run()."""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest

from massgen.errors import ConfigError
from massgen.orchestrator import Orchestrator
from massgen.session import Session
from massgen.stream_chunk import ChunkType

from orchestrator_helpers import collect, orchestrator, statuses, team, words
from scripted_backend import ScriptedBackend, Step, answer


async def test_an_agent_that_errors_is_marked_failed_and_the_team_goes_on(tmp_path) -> None:
    broken = ScriptedBackend([Step(text="partial", error="broken (claude): 529 overloaded; try again later")])
    bob = ScriptedBackend([answer("beta")], presentation="final beta")
    orch = orchestrator(tmp_path, {"broken": broken, "bob": bob})
    chunks = await collect(orch)
    failed = [c for c in chunks if c.type == ChunkType.AGENT_STATUS and c.status == "failed"]
    assert [(c.source, c.content) for c in failed] == [("broken", "broken (claude): 529 overloaded; try again later")]
    errors = [c for c in chunks if c.type == ChunkType.ERROR]
    assert errors and errors[0].source == "broken"  # the ERROR chunk itself reaches the stream too
    assert len(broken.requests) == 1  # a failed agent gets no more turns
    assert orch.result.winner == "bob" and orch.result.final_answer == "final beta"
    assert orch.result.agent_status == {"broken": "failed", "bob": "done"}


async def test_an_agent_that_raises_fails_alone(tmp_path) -> None:
    raiser = ScriptedBackend([Step(raise_exc=RuntimeError("bug in a backend"))])
    bob = ScriptedBackend([answer("beta")])
    orch = orchestrator(tmp_path, {"raiser": raiser, "bob": bob})
    chunks = await collect(orch)
    assert ("raiser", "failed") in statuses(chunks)
    assert orch.result.agent_status["raiser"] == "failed" and orch.result.status == "done"


async def test_every_agent_failing_ends_the_run_as_failed_with_reasons(tmp_path) -> None:
    one = ScriptedBackend([Step(error="one: 401 bad key; check OPENAI_API_KEY")])
    two = ScriptedBackend([Step(error="two: stream dropped")])
    orch = orchestrator(tmp_path, {"one": one, "two": two})
    chunks = await collect(orch)
    assert orch.result.status == "failed" and orch.result.final_answer == ""
    assert "one: 401 bad key" in orch.result.detail and "two: stream dropped" in orch.result.detail
    assert words(chunks, "orchestrator")[-1] == "failed"
    assert not (tmp_path / "session" / "final_answer.md").exists()


async def test_a_backend_that_cannot_be_built_fails_that_agent_only(tmp_path, monkeypatch) -> None:
    def build(agent):
        if agent.id == "nokey":
            raise ConfigError("nokey (openai): no API key; set OPENAI_API_KEY or give backend.api_key")
        return ScriptedBackend([answer("built fine")])

    monkeypatch.setattr("massgen.orchestrator.coordinator.build_backend", build)
    orch = Orchestrator(team("nokey", "ok"), session=Session(tmp_path / "s"), tool_runners={"nokey": None, "ok": None})
    chunks = await collect(orch)
    failed = [(c.source, c.content) for c in chunks if c.type == ChunkType.AGENT_STATUS and c.status == "failed"]
    assert failed == [("nokey", "nokey (openai): no API key; set OPENAI_API_KEY or give backend.api_key")]
    assert orch.result.winner == "ok"


async def test_the_time_limit_stops_slow_agents_and_keeps_the_best_answer(tmp_path) -> None:
    quick = ScriptedBackend([answer("quick answer")], then=lambda m, t: Step(delay=30))
    slow = ScriptedBackend([Step(delay=30)])
    orch = orchestrator(tmp_path, {"quick": quick, "slow": slow}, timeout_seconds=0.3)
    started = time.monotonic()
    chunks = await collect(orch)
    assert time.monotonic() - started < 3
    assert orch.result.status == "done" and orch.result.winner == "quick"
    assert orch.result.final_answer == "quick answer"
    assert "time limit" in orch.result.detail
    assert ("slow", "cancelled") in statuses(chunks)
    assert slow.cancelled == 1 and slow.closed_streams == 1  # the stream was closed, not abandoned
    assert (tmp_path / "session" / "final_answer.md").read_text().startswith("quick answer")


async def test_the_time_limit_with_no_answer_fails_the_run(tmp_path) -> None:
    slow = ScriptedBackend([Step(delay=30)])
    orch = orchestrator(tmp_path, {"slow": slow}, timeout_seconds=0.2)
    await collect(orch)
    assert orch.result.status == "failed" and "timeout" in orch.result.detail


async def test_cancel_stops_every_agent_cleanly(tmp_path) -> None:
    a = ScriptedBackend([Step(delay=30)])
    b = ScriptedBackend([Step(delay=30)])
    orch = orchestrator(tmp_path, {"a": a, "b": b})
    chunks = []
    async for chunk in orch.run("a long task"):
        chunks.append(chunk)
        if len(statuses(chunks)) == 3:  # the team and both agents are working
            orch.cancel()
    assert words(chunks, "a")[-1] == "cancelled" and words(chunks, "b")[-1] == "cancelled"
    assert words(chunks, "orchestrator")[-1] == "cancelled"
    assert chunks[-1].type == ChunkType.COMPLETE_RESPONSE and chunks[-1].response["status"] == "cancelled"
    assert a.cancelled == b.cancelled == 1 and a.closed_streams == b.closed_streams == 1
    assert orch.result.status == "cancelled" and orch.result.final_answer == ""


async def test_closing_the_stream_early_cancels_the_agents(tmp_path) -> None:
    a = ScriptedBackend([Step(delay=30)])
    orch = orchestrator(tmp_path, {"a": a})
    async with contextlib.aclosing(orch.run("task")) as stream:
        async for chunk in stream:
            if chunk.type == ChunkType.AGENT_STATUS and chunk.source == "a":
                break
    await asyncio.sleep(0)
    assert a.cancelled == 1 and a.closed_streams == 1
    assert len(asyncio.all_tasks()) == 1  # only this test's own task is left
    assert (tmp_path / "session" / "transcript.jsonl").exists()


async def test_run_refuses_an_empty_task_and_a_second_concurrent_run(tmp_path) -> None:
    orch = orchestrator(tmp_path, {"a": ScriptedBackend([Step(delay=30)])})
    with pytest.raises(ValueError, match="give the team something to do"):
        orch.run("   ")
    stream = orch.run("first")
    await stream.__anext__()
    with pytest.raises(RuntimeError, match="already working"):
        orch.run("second")
    orch.cancel()
    rest = [chunk async for chunk in stream]
    assert rest[-1].response["status"] == "cancelled"


async def test_a_presentation_that_fails_falls_back_to_the_winning_answer(tmp_path) -> None:
    alice = ScriptedBackend([answer("stored answer")], then=lambda m, t: Step(error="dropped") if not t else
                            Step(calls=[{"id": "v", "name": "vote", "arguments": {"agent_id": "agent1", "reason": "r"}}]))
    orch = orchestrator(tmp_path, {"alice": alice})
    await collect(orch)
    assert orch.result.status == "done" and orch.result.final_answer == "stored answer"
    assert "presentation did not finish (dropped)" in orch.result.detail



async def test_cancel_marks_idle_agents_cancelled_too(tmp_path) -> None:
    quick = ScriptedBackend([answer("quick")])
    slow = ScriptedBackend([Step(delay=30)])
    orch = orchestrator(tmp_path, {"quick": quick, "slow": slow})
    chunks = []
    async for chunk in orch.run("task"):
        chunks.append(chunk)
        if (chunk.source, getattr(chunk, "status", None)) == ("quick", "voted"):
            orch.cancel()
    assert words(chunks, "quick")[-1] == "cancelled" and words(chunks, "slow")[-1] == "cancelled"
    assert orch.result.agent_status == {"quick": "cancelled", "slow": "cancelled"}

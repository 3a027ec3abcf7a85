"""Follow-up turns: a second run continues the conversation, in the same session folder."""

from __future__ import annotations

from massgen.stream_chunk import ChunkType

from orchestrator_helpers import collect, orchestrator
from scripted_backend import ScriptedBackend, answer


async def test_a_follow_up_sees_the_earlier_task_and_final_answer(tmp_path) -> None:
    alice = ScriptedBackend([answer("first answer")], presentation="FINAL ONE")
    orch = orchestrator(tmp_path, {"alice": alice})
    await collect(orch, "What is 2 + 2?")
    first = orch.result
    alice.presentation = "FINAL TWO"
    alice.steps = [answer("second answer")]
    chunks = [c async for c in orch.run("And times 3?")]

    messages = alice.requests[-2][0]  # the last coordination turn of the follow-up
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[1] == {"role": "user", "content": "What is 2 + 2?"}
    assert messages[2] == {"role": "assistant", "content": "FINAL ONE"}
    assert "And times 3?" in alice.user_text(-2) and "first answer" not in alice.user_text(-2)
    assert first.final_answer == "FINAL ONE" and orch.result.final_answer == "FINAL TWO"
    assert orch.result is not first and orch.result.answers == {"alice": ["agent1.1"]}  # answers start afresh
    session = tmp_path / "session"
    assert (session / "final_answer.md").read_text().startswith("FINAL ONE")
    assert (session / "final_answer-2.md").read_text().startswith("FINAL TWO")
    assert sorted(p.name for p in (session / "answers").iterdir()) == ["alice-answer-1.md", "alice-turn2-answer-1.md"]
    assert chunks[-1].type == ChunkType.COMPLETE_RESPONSE and chunks[-1].response["task"] == "And times 3?"
    assert len(orch.history) == 4

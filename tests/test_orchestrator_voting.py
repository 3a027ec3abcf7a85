"""Coordination: consensus, split votes (ties to the earliest answer), new answers resetting votes,
stale votes set aside, the answer limit, and re-asking an agent that ends without a tool call."""

from __future__ import annotations

from massgen.orchestrator import prompts
from massgen.stream_chunk import ChunkType

from orchestrator_helpers import collect, orchestrator, statuses, words
from scripted_backend import ScriptedBackend, answer, offered_labels, say, vote


def _vote_other(me: str):
    """Vote for any offered answer that is not `me`'s, else for `me`."""
    def policy(messages, tools):
        labels = offered_labels(tools)
        if not labels:
            return say(f"final by {me}")
        others = [label for label in labels if label != me]
        return vote(others[0] if others else labels[0], "the other one is better")
    return policy


async def test_consensus_winner_presents_and_the_stream_says_every_step(tmp_path) -> None:
    alice = ScriptedBackend([answer("alpha answer")], presentation="FINAL from alice")
    bob = ScriptedBackend([answer("beta answer", delay=0.02)], then=lambda m, t: vote("agent1", "alpha is right"))
    orch = orchestrator(tmp_path, {"alice": alice, "bob": bob})
    chunks = await collect(orch)

    result = orch.result
    assert result.status == "done" and result.winner == "alice"
    assert result.tally == {"alice": 2, "bob": 0}
    assert result.final_answer == "FINAL from alice"
    assert (tmp_path / "session" / "final_answer.md").read_text().startswith("FINAL from alice")
    assert {c.source for c in chunks} == {"alice", "bob", "orchestrator"}
    alice_words = words(chunks, "alice")
    for word in ("working", "streaming", "answered", "voted", "winner", "presenting", "done"):
        assert word in alice_words
    assert alice_words.index("winner") < alice_words.index("presenting") < len(alice_words) - 1
    assert alice_words[-1] == "done" and words(chunks, "bob")[-1] == "done"
    assert words(chunks, "orchestrator") == ["working", "winner", "presenting", "done"]
    last = chunks[-1]
    assert last.type == ChunkType.COMPLETE_RESPONSE and last.source == "orchestrator"
    assert last.response["winner"] == "alice" and last.response["final_answer"] == "FINAL from alice"


async def test_answers_are_anonymised_and_versioned(tmp_path) -> None:
    alice = ScriptedBackend([answer("alpha answer")])
    bob = ScriptedBackend([answer("beta answer", delay=0.02)])
    orch = orchestrator(tmp_path, {"alice": alice, "bob": bob})
    await collect(orch)
    later = bob.user_text(-1)
    assert "<agent1.1>\nalpha answer\n<end of agent1.1>" in later
    assert "You are agent2. Your latest answer is agent2.1." in later
    assert "alice" not in later and "bob" not in later
    system = bob.requests[0][0][0]
    assert system["role"] == "system" and "new_answer" in system["content"] and system["content"].startswith("You are bob.")


async def test_split_vote_goes_to_the_earliest_answer(tmp_path) -> None:
    alice = ScriptedBackend([answer("alpha")], then=_vote_other("agent1"))
    bob = ScriptedBackend([answer("beta", delay=0.03)], then=_vote_other("agent2"))
    orch = orchestrator(tmp_path, {"alice": alice, "bob": bob})
    await collect(orch)
    assert orch.result.tally == {"alice": 1, "bob": 1}
    assert orch.result.votes == {"alice": {"target": "bob", "reason": "the other one is better"},
                                 "bob": {"target": "alice", "reason": "the other one is better"}}
    assert orch.result.winner == "alice"


async def test_split_vote_earliest_means_answer_time_not_config_order(tmp_path) -> None:
    alice = ScriptedBackend([answer("alpha", delay=0.03)], then=_vote_other("agent1"))
    bob = ScriptedBackend([answer("beta")], then=_vote_other("agent2"))
    orch = orchestrator(tmp_path, {"alice": alice, "bob": bob})
    await collect(orch)
    assert orch.result.tally == {"alice": 1, "bob": 1}
    assert orch.result.winner == "bob"


async def test_a_new_answer_resets_votes_and_reaches_the_others(tmp_path) -> None:
    def alice_policy(messages, tools):
        text = alice.user_text(-1)
        return vote("agent2" if "beta v2" in text else "agent1", "current best")

    alice = ScriptedBackend([answer("alpha")], then=alice_policy)
    bob = ScriptedBackend([answer("beta v1", delay=0.02), answer("beta v2", delay=0.06)],
                          then=lambda m, t: vote("agent2", "mine is best now"))
    orch = orchestrator(tmp_path, {"alice": alice, "bob": bob})
    chunks = await collect(orch)

    seq = statuses(chunks)
    bob_second = [i for i, s in enumerate(seq) if s == ("bob", "answered")][1]
    assert ("alice", "voted") in seq[:bob_second]  # alice had voted before bob's new answer
    assert ("alice", "voted") in seq[bob_second:]  # and voted again after it
    assert "<agent2.2>\nbeta v2\n<end of agent2.2>" in alice.user_text(-1)
    assert orch.result.votes["alice"]["target"] == "bob" and orch.result.winner == "bob"
    assert orch.result.answers == {"alice": ["agent1.1"], "bob": ["agent2.1", "agent2.2"]}
    saved = sorted(p.name for p in (tmp_path / "session" / "answers").iterdir())
    assert saved == ["alice-answer-1.md", "bob-answer-1.md", "bob-answer-2.md"]


async def test_a_vote_made_while_a_new_answer_arrived_is_set_aside(tmp_path) -> None:
    alice = ScriptedBackend([answer("alpha"), vote("agent1", "slow vote", delay=0.08)])
    bob = ScriptedBackend([answer("beta", delay=0.03)])
    orch = orchestrator(tmp_path, {"alice": alice, "bob": bob})
    chunks = await collect(orch)
    details = [c.content for c in chunks if c.type == ChunkType.AGENT_STATUS and c.source == "alice"]
    assert any(d and d.startswith("vote set aside") for d in details)
    assert len(alice.requests) >= 3 and "<agent2.1>" in alice.user_text(-1)
    assert orch.result.status == "done"


async def test_answer_limit_leaves_only_the_vote_tool(tmp_path) -> None:
    alice = ScriptedBackend([answer("one"), answer("two"), vote("agent1", "fine")])
    orch = orchestrator(tmp_path, {"alice": alice}, max_answers_per_agent=1)
    await collect(orch)
    first_tools = [t["name"] for t in alice.requests[0][1]]
    second_tools = [t["name"] for t in alice.requests[1][1]]
    assert first_tools == ["new_answer"] and second_tools == ["vote"]
    refused = [m for m in alice.requests[2][0] if m["role"] == "tool"]
    assert refused and "most answers allowed (1)" in refused[-1]["content"]
    assert orch.result.answers == {"alice": ["agent1.1"]} and orch.result.winner == "alice"


async def test_an_agent_ending_without_a_tool_call_is_re_asked(tmp_path) -> None:
    alice = ScriptedBackend([say("I think the answer is 4."), answer("4")])
    orch = orchestrator(tmp_path, {"alice": alice})
    await collect(orch)
    retry = alice.requests[1][0]
    assert retry[-1] == {"role": "user", "content": prompts.REASK}
    assert retry[-2]["role"] == "assistant" and retry[-2]["content"] == "I think the answer is 4."
    assert orch.result.answers == {"alice": ["agent1.1"]} and orch.result.status == "done"


async def test_re_asks_are_bounded_then_the_agent_fails_and_the_team_goes_on(tmp_path) -> None:
    chatty = ScriptedBackend(then=lambda m, t: say("no tools from me"))
    bob = ScriptedBackend([answer("beta")])
    orch = orchestrator(tmp_path, {"chatty": chatty, "bob": bob}, max_reask=2)
    chunks = await collect(orch)
    assert len(chatty.requests) == 3  # the first try and two re-asks
    assert orch.result.agent_status["chatty"] == "failed"
    failed = [c.content for c in chunks if c.type == ChunkType.AGENT_STATUS and c.status == "failed"]
    assert failed == ["ended 3 times without a valid new_answer or vote"]
    assert orch.result.winner == "bob" and orch.result.status == "done"


async def test_a_vote_for_an_unknown_agent_is_refused_with_the_choices(tmp_path) -> None:
    alice = ScriptedBackend([answer("alpha"), vote("agent7", "typo"), vote("agent1", "ok")])
    orch = orchestrator(tmp_path, {"alice": alice})
    await collect(orch)
    refused = [m for m in alice.requests[2][0] if m["role"] == "tool"][-1]["content"]
    assert refused == "error: agent7 has no answer to vote for; choose one of: agent1"
    assert orch.result.votes == {"alice": {"target": "alice", "reason": "ok"}}

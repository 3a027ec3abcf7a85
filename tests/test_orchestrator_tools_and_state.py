"""The coordination tools' definitions and parsing, and the team state's rules (votes reset on a new
answer, the winner by votes then earliest answer, the answer limit)."""

from __future__ import annotations

import pytest

from massgen.config import OrchestratorConfig
from massgen.orchestrator.state import RunLimits, TeamState
from massgen.orchestrator.tools import ToolCallError, normalise_label, parse_workflow_call, workflow_tools


def test_vote_is_offered_only_with_answers_and_new_answer_only_under_the_limit() -> None:
    assert [t["name"] for t in workflow_tools(True, [])] == ["new_answer"]
    assert [t["name"] for t in workflow_tools(False, ["agent1"])] == ["vote"]
    both = workflow_tools(True, ["agent2", "agent1"])
    assert both[1]["parameters"]["properties"]["agent_id"]["enum"] == ["agent2", "agent1"]


@pytest.mark.parametrize("raw, label", [("agent2", "agent2"), ("Agent 2", "agent2"), ("agent2.3", "agent2"),
                                        ("agent_12", "agent12"), ("bob", None), (3, None)])
def test_vote_targets_are_normalised(raw, label) -> None:
    assert normalise_label(raw) == label


def test_calls_parse_from_canonical_chat_completions_and_json_text() -> None:
    assert parse_workflow_call({"id": "1", "name": "new_answer", "arguments": {"content": " hi "}}).content == "hi"
    chat = {"id": "2", "function": {"name": "vote", "arguments": '{"agent_id": "agent1", "reason": "best"}'}}
    parsed = parse_workflow_call(chat)
    assert (parsed.name, parsed.target, parsed.reason, parsed.call_id) == ("vote", "agent1", "best", "2")


@pytest.mark.parametrize("call, message", [
    ({"name": "new_answer", "arguments": {"content": "  "}}, "non-empty 'content'"),
    ({"name": "new_answer", "arguments": "{broken"}, "not valid JSON"),
    ({"name": "vote", "arguments": {"agent_id": "nobody"}}, "vote needs 'agent_id'"),
    ({"name": "vote", "arguments": ["agent1"]}, "must be a JSON object"),
])
def test_bad_calls_say_what_to_fix(call, message) -> None:
    with pytest.raises(ToolCallError, match=message):
        parse_workflow_call(call)


def test_a_new_answer_resets_every_vote_and_bumps_the_version() -> None:
    state = TeamState(["a", "b"], RunLimits())
    state.add_answer("a", "A", [])
    state.add_vote("a", "a", "mine")
    state.add_vote("b", "a", "theirs")
    assert state.tally() == {"a": 2} and state.settled()
    answer = state.add_answer("b", "B", [])
    assert answer.label == "agent2.1" and state.version == 2
    assert state.votes() == {} and not state.settled()


def test_winner_is_most_votes_then_earliest_current_answer() -> None:
    state = TeamState(["a", "b", "c"], RunLimits())
    assert state.winner() is None
    state.add_answer("b", "B", [])
    state.add_answer("a", "A", [])
    assert state.winner() == "b"  # no votes: the earliest answer
    state.add_vote("c", "a", "r")
    assert state.winner() == "a"
    state.add_vote("a", "b", "r")
    assert state.winner() == "b"  # 1-1: b answered first
    state.add_answer("b", "B2", [])  # b's current answer is now the latest
    state.add_vote("a", "b", "r")
    state.add_vote("c", "a", "r")
    assert state.winner() == "a"


def test_failed_agents_votes_do_not_count_and_limits_hold() -> None:
    state = TeamState(["a", "b"], RunLimits(max_answers_per_agent=1, max_rounds=2))
    state.add_answer("a", "A", [])
    state.add_vote("b", "a", "r")
    state.fail("b", "boom")
    assert state.tally() == {"a": 0} and not state.can_answer("a")
    state.agents["a"].turns = 2
    assert state.exhausted("a") and state.settled()
    limits = RunLimits.from_config(OrchestratorConfig(max_rounds=3, timeout_seconds=9.0))
    assert (limits.max_rounds, limits.timeout_seconds, limits.max_answers_per_agent) == (3, 9.0, 5)

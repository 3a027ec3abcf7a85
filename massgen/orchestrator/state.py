"""The team's bookkeeping for one run: answers (versioned), votes, turns, who is still live, the winner."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from massgen.config.models import OrchestratorConfig
from massgen.media.item import MediaItem
from massgen.stream_chunk import AgentStatus

_CONFIG = OrchestratorConfig()  # the defaults a team file's `orchestrator:` section starts from


@dataclass(frozen=True)
class RunLimits:
    """Bounds of a run; `max_reask` re-asks an agent that ends a turn without new_answer or vote."""

    max_answers_per_agent: int = _CONFIG.max_answers_per_agent
    max_rounds: int = _CONFIG.max_rounds
    timeout_seconds: float = _CONFIG.timeout_seconds
    max_reask: int = _CONFIG.max_reask
    max_tool_steps: int = 4

    @classmethod
    def from_config(cls, section: "OrchestratorConfig") -> "RunLimits":
        """From the config's `orchestrator:` section (max_tool_steps is not configurable: its default)."""
        return cls(max_answers_per_agent=section.max_answers_per_agent, max_rounds=section.max_rounds,
                   timeout_seconds=section.timeout_seconds, max_reask=section.max_reask)


@dataclass
class Answer:
    """One version of one agent's answer; `label` is the anonymous `agentN.M` the others see."""

    agent_id: str
    label: str
    version: int
    content: str
    media: list[MediaItem]
    order: int


@dataclass
class Vote:
    target: str  # real agent id
    reason: str


@dataclass
class AgentState:
    """One agent in one run."""

    agent_id: str
    anon: str
    status: AgentStatus = AgentStatus.IDLE
    answers: list[Answer] = field(default_factory=list)
    vote: Vote | None = None
    turns: int = 0
    failed: str | None = None

    @property
    def latest(self) -> Answer | None:
        return self.answers[-1] if self.answers else None

    @property
    def live(self) -> bool:
        return self.failed is None


def anonymous_id(position: int) -> str:
    """What the other agents call the agent at `position` (1-based, team order): answers are judged unsigned."""
    return f"agent{position}"


class TeamState:
    """Answers, votes and turns of every agent; `version` counts answers so stale votes can be spotted."""

    def __init__(self, agent_ids: Sequence[str], limits: RunLimits) -> None:
        self.limits = limits
        self.agents = {aid: AgentState(aid, anonymous_id(i)) for i, aid in enumerate(agent_ids, 1)}
        self.version = 0
        self._by_anon = {a.anon: a.agent_id for a in self.agents.values()}

    # queries ------------------------------------------------------------------------------
    def live(self) -> list[AgentState]:
        return [a for a in self.agents.values() if a.live]

    def current_answers(self) -> list[Answer]:
        """Each agent's latest answer, oldest first (failed agents' answers stay votable)."""
        latest = [a.latest for a in self.agents.values() if a.latest is not None]
        return sorted(latest, key=lambda ans: ans.order)

    def can_answer(self, agent_id: str) -> bool:
        return len(self.agents[agent_id].answers) < self.limits.max_answers_per_agent

    def exhausted(self, agent_id: str) -> bool:
        return self.agents[agent_id].turns >= self.limits.max_rounds

    def needs_turn(self, agent_id: str) -> bool:
        """Live, has not voted on the current answers, and has turns left."""
        agent = self.agents[agent_id]
        return agent.live and agent.vote is None and not self.exhausted(agent_id)

    def settled(self) -> bool:
        """Nobody needs another turn: every live agent voted or ran out of turns."""
        return not any(self.needs_turn(aid) for aid in self.agents)

    def agent_for_label(self, label: str) -> str | None:
        """The real agent id behind an anonymous label, if that agent has an answer to vote for."""
        agent_id = self._by_anon.get(label)
        return agent_id if agent_id and self.agents[agent_id].answers else None

    def tally(self) -> dict[str, int]:
        counts = Counter(a.vote.target for a in self.agents.values() if a.vote is not None and a.live)
        return {aid: counts.get(aid, 0) for aid in self.agents if self.agents[aid].answers}

    def winning_answer(self) -> Answer | None:
        """Most votes; a tie goes to the earliest current answer. None if there are no answers."""
        answers = self.current_answers()
        if not answers:
            return None
        counts = self.tally()
        best = max(counts.values())
        return next(ans for ans in answers if counts[ans.agent_id] == best)

    def winner(self) -> str | None:
        """The agent whose answer wins (see winning_answer)."""
        answer = self.winning_answer()
        return answer.agent_id if answer is not None else None

    # changes ------------------------------------------------------------------------------
    def add_answer(self, agent_id: str, content: str, media: list[MediaItem]) -> Answer:
        """Record a new answer version; every vote is reset, so all agents look again."""
        agent = self.agents[agent_id]
        self.version += 1
        answer = Answer(agent_id, f"{agent.anon}.{len(agent.answers) + 1}", len(agent.answers) + 1,
                        content, list(media), self.version)
        agent.answers.append(answer)
        for other in self.agents.values():
            other.vote = None
        return answer

    def add_vote(self, voter: str, target: str, reason: str) -> None:
        self.agents[voter].vote = Vote(target, reason)

    def fail(self, agent_id: str, reason: str) -> None:
        agent = self.agents[agent_id]
        agent.failed = reason
        agent.vote = None
        agent.status = AgentStatus.FAILED

    def votes(self) -> dict[str, dict[str, str]]:
        """voter -> {target, reason}, for the result."""
        return {aid: {"target": a.vote.target, "reason": a.vote.reason}
                for aid, a in self.agents.items() if a.vote is not None}

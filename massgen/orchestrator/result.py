"""The outcome of one run, as the app and scripts read it (and as the final COMPLETE_RESPONSE carries it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from massgen.media.item import MediaItem
from massgen.stream_chunk import AgentStatus

from .state import TeamState


class RunOutcome(StrEnum):
    """How a run ended (WORKING until it does); the same word ends the run's last orchestrator status chunk."""

    WORKING = "working"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def agent_status(self) -> AgentStatus:
        return AgentStatus(self.value)


@dataclass
class OrchestratorResult:
    """`status` says how the run ended; `detail` says why in one line."""

    task: str
    status: RunOutcome = RunOutcome.WORKING
    detail: str = ""
    winner: str | None = None
    final_answer: str = ""
    votes: dict[str, dict[str, str]] = field(default_factory=dict)
    tally: dict[str, int] = field(default_factory=dict)
    answers: dict[str, list[str]] = field(default_factory=dict)
    media: list[MediaItem] = field(default_factory=list)
    agent_status: dict[str, AgentStatus] = field(default_factory=dict)
    session_folder: str | None = None
    final_answer_file: str | None = None

    def fill_from(self, state: TeamState) -> None:
        """Copy votes, answers and statuses from the run's state."""
        self.votes = state.votes()
        self.tally = state.tally()
        self.answers = {aid: [a.label for a in agent.answers] for aid, agent in state.agents.items()}
        self.agent_status = {aid: agent.status for aid, agent in state.agents.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task, "status": self.status.value, "detail": self.detail, "winner": self.winner,
            "final_answer": self.final_answer, "votes": self.votes, "tally": self.tally, "answers": self.answers,
            "media": [m.to_dict() for m in self.media],
            "agent_status": {aid: status.value for aid, status in self.agent_status.items()},
            "session_folder": self.session_folder, "final_answer_file": self.final_answer_file,
        }

"""What a finished run gave: winner, votes, answer, media, or why there is no answer (no UI imports)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from massgen.media.item import MediaItem


@dataclass(frozen=True)
class Vote:
    """One agent's vote."""

    voter: str
    target: str
    reason: str = ""


@dataclass
class FinalResult:
    """What the final view shows; `problem` is set (and `answer` empty) when the run ended without one."""

    winner: str | None
    answer: str
    votes: list[Vote] = field(default_factory=list)
    media: list[MediaItem] = field(default_factory=list)
    problem: str | None = None
    task: str = ""


def vote_summary(votes: list[Vote]) -> list[str]:
    """Lines `agent_b  2 votes  (agent_a, agent_c)`, most votes first, ties in order of first vote."""
    tally = Counter(v.target for v in votes)
    order = list(dict.fromkeys(v.target for v in votes))
    order.sort(key=lambda target: -tally[target])
    lines = []
    for target in order:
        voters = ", ".join(v.voter for v in votes if v.target == target)
        noun = "vote" if tally[target] == 1 else "votes"
        lines.append(f"{target}  {tally[target]} {noun}  ({voters})")
    return lines

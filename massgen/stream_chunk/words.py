"""The fixed words chunks carry: an agent's status and an error's reason. Both are `StrEnum`s, so a
chunk's `to_dict()` (and every transcript) holds the same plain strings as before."""

from __future__ import annotations

from enum import StrEnum

ORCHESTRATOR = "orchestrator"  # the `source` of chunks from the team itself rather than one agent


class AgentStatus(StrEnum):
    """Where an agent stands in a run: the `status` of the orchestrator's AGENT_STATUS chunks.

    IDLE (no turn yet) and STOPPED (the stream ended while the agent was at work, without a cancel)
    are a client's words for its own view; the orchestrator sends the other nine."""

    IDLE = "idle"
    WORKING = "working"
    STREAMING = "streaming"
    ANSWERED = "answered"
    VOTED = "voted"
    FAILED = "failed"
    WINNER = "winner"
    PRESENTING = "presenting"
    DONE = "done"
    CANCELLED = "cancelled"
    STOPPED = "stopped"

    @classmethod
    def parse(cls, word: str | None) -> "AgentStatus | None":
        """The status a chunk names, or None for a word this version does not know (an old or foreign transcript)."""
        try:
            return cls(word) if word else None
        except ValueError:
            return None


class ErrorCode(StrEnum):
    """Why an ERROR chunk was sent, for code that acts on it (its text is for people only)."""

    THREAD_LOST = "thread_lost"  # the provider or store no longer has the thread a continuation continued
    RESTART_OFFERED = "restart_offered"  # refine_image: the thread is gone; call again with fallback=True
    RESTARTING = "restarting"  # refine_image with fallback: the thread is gone; starting again from the image

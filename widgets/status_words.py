"""How each agent status is shown (pure data, no UI imports); the words themselves are massgen's AgentStatus."""

from __future__ import annotations

from dataclasses import dataclass

from massgen.stream_chunk import AgentStatus


@dataclass(frozen=True)
class StatusLook:
    """How one status word is shown: a symbol, a label and the theme colour variable."""

    symbol: str
    label: str
    colour: str


STATUS_LOOKS: dict[AgentStatus, StatusLook] = {
    AgentStatus.IDLE: StatusLook("○", "waiting", "$text-muted"),
    AgentStatus.WORKING: StatusLook("◐", "thinking", "$accent"),
    AgentStatus.STREAMING: StatusLook("✎", "streaming", "$accent"),
    AgentStatus.ANSWERED: StatusLook("✓", "answered", "$success"),
    AgentStatus.VOTED: StatusLook("☑", "voted", "$success"),
    AgentStatus.FAILED: StatusLook("✗", "failed", "$error"),
    AgentStatus.WINNER: StatusLook("★", "winner", "$warning"),
    AgentStatus.PRESENTING: StatusLook("▶", "presenting", "$warning"),
    AgentStatus.DONE: StatusLook("●", "done", "$success"),
    AgentStatus.CANCELLED: StatusLook("■", "cancelled", "$text-warning"),
    AgentStatus.STOPPED: StatusLook("■", "stopped", "$text-muted"),
}

ACTIVE_STATUSES = frozenset({AgentStatus.WORKING, AgentStatus.STREAMING, AgentStatus.PRESENTING})


def status_look(status: str) -> StatusLook:
    """The look of a status word; a word this version does not know is shown as itself rather than hidden."""
    known = AgentStatus.parse(status)
    return STATUS_LOOKS[known] if known is not None else StatusLook("?", status, "$text")

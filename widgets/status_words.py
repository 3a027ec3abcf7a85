"""The status words of massgen's AGENT_STATUS chunks and how each is shown (pure data, no UI imports)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StatusLook:
    """How one status word is shown: a symbol, a label and the theme colour variable."""

    symbol: str
    label: str
    colour: str


STATUS_LOOKS: dict[str, StatusLook] = {
    "idle": StatusLook("○", "waiting", "$text-muted"),
    "working": StatusLook("◐", "thinking", "$accent"),
    "streaming": StatusLook("✎", "streaming", "$accent"),
    "answered": StatusLook("✓", "answered", "$success"),
    "voted": StatusLook("☑", "voted", "$success"),
    "failed": StatusLook("✗", "failed", "$error"),
    "winner": StatusLook("★", "winner", "$warning"),
    "presenting": StatusLook("▶", "presenting", "$warning"),
    "done": StatusLook("●", "done", "$success"),
    "cancelled": StatusLook("■", "cancelled", "$text-warning"),
    "stopped": StatusLook("■", "stopped", "$text-muted"),
}

ACTIVE_STATUSES = frozenset({"working", "streaming", "presenting"})


def status_look(status: str) -> StatusLook:
    """The look of a status word; an unknown word is shown as itself rather than hidden."""
    return STATUS_LOOKS.get(status, StatusLook("?", status, "$text"))

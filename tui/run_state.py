"""What the run is doing, in words for the status bar (light: imported before the first frame)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum


class Phase(Enum):
    """The life of one run."""

    LOADING = "loading"
    READY = "ready"
    RUNNING = "running"
    CANCELLING = "cancelling"
    DONE = "done"
    NO_ANSWER = "no_answer"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass
class RunStatus:
    """The phase plus the words that explain it; `counts` are agent statuses while running."""

    phase: Phase = Phase.LOADING
    message: str = ""
    counts: Counter = field(default_factory=Counter)

    def text(self) -> str:
        """One line for the status bar."""
        if self.phase == Phase.RUNNING and self.counts:
            parts = ", ".join(f"{n} {word}" for word, n in sorted(self.counts.items()))
            return f"Running: {parts}" + (f" · {self.message}" if self.message else "")
        labels = {
            Phase.LOADING: "Starting",
            Phase.READY: "Ready",
            Phase.RUNNING: "Running",
            Phase.CANCELLING: "Cancelling",
            Phase.DONE: "Done",
            Phase.NO_ANSWER: "No answer",
            Phase.CANCELLED: "Cancelled",
            Phase.FAILED: "Failed",
        }
        label = labels[self.phase]
        return f"{label}: {self.message}" if self.message else label


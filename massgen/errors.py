"""Errors a user can act on: each message is one line saying what is wrong and what to do."""

from __future__ import annotations

from typing import Sequence


class MassGenError(Exception):
    """Base of the errors massgen raises on purpose."""


class ConfigError(MassGenError, ValueError):
    """A team, agent or backend cannot be built as configured; each line says what to set (never a key).

    Takes one message or every problem found in a config at once (`problems`, one line each).
    """

    def __init__(self, problems: str | Sequence[str]) -> None:
        lines = [problems] if isinstance(problems, str) else [p for p in problems if p]
        self.problems: list[str] = lines or ["invalid config"]
        super().__init__("\n".join(self.problems))

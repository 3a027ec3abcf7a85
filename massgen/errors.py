"""Errors a user can act on: each message is one line saying what is wrong and what to do."""

from __future__ import annotations


class MassGenError(Exception):
    """Base of the errors massgen raises on purpose."""


class ConfigError(MassGenError, ValueError):
    """A team, agent or backend cannot be built as configured; the message says what to set."""

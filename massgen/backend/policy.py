"""Timeouts and retry settings of one backend, from its YAML options, with safe defaults.

Every request gets a timeout (google-genai has none by default), and retries stop at a cap on
Retry-After (anthropic would otherwise sleep as long as the server asks).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping

from massgen.errors import ConfigError


@dataclass(frozen=True)
class HttpPolicy:
    """Seconds throughout; `timeout` is per read (between stream events), not per turn."""

    timeout: float = 120.0
    connect_timeout: float = 10.0
    max_retries: int = 3
    retry_initial_delay: float = 0.5
    retry_max_delay: float = 8.0
    retry_after_cap: float = 60.0

    @classmethod
    def from_options(cls, options: Mapping[str, Any], who: str) -> "HttpPolicy":
        """Pick this policy's keys out of `options` (validated, one-line errors naming the key)."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            key = next((k for k in (f.name, *ALIASES.get(f.name, ())) if options.get(k) is not None), None)
            if key is None:
                continue
            raw = options[key]
            if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw < 0:
                raise ConfigError(f"{who}: backend.{key} must be a number >= 0, not {raw!r}")
            values[f.name] = int(raw) if f.name == "max_retries" else float(raw)
        return cls(**values)

    def backoff(self, attempt: int) -> float:
        """Exponential delay before retry number `attempt` (0-based), without jitter (tests stay exact)."""
        return min(self.retry_initial_delay * (2 ** attempt), self.retry_max_delay)

    def openai_style_timeout(self) -> Any:
        """An httpx2.Timeout for the Stainless SDKs (openai, anthropic): per-read plus connect."""
        import httpx2

        return httpx2.Timeout(self.timeout, connect=self.connect_timeout)


ALIASES = {"timeout": ("timeout_seconds",)}  # the team file's name for it
POLICY_KEYS = frozenset(f.name for f in fields(HttpPolicy)) | {a for names in ALIASES.values() for a in names}

"""StreamingBackend: what every provider backend shares around its own event loop.

Checks the YAML options, holds the HTTP policy, turns provider failures into an ERROR chunk (with
the text so far, and no secret), and closes each turn in the contract's order.
"""

from __future__ import annotations

import difflib
import json
import logging
from contextlib import aclosing
from typing import Any, AsyncIterator, Iterable

from massgen.errors import ConfigError, MassGenError
from massgen.media.errors import MediaError
from massgen.stream_chunk import BaseStreamChunk

from .base import LLMBackend
from .failures import classify, redact
from .policy import POLICY_KEYS, HttpPolicy
from .retry import GaveUp
from .provider_turn import ProviderTurn

log = logging.getLogger("massgen.backend")


class StreamingBackend(LLMBackend):
    """A backend whose `_provider_stream` yields chunks through a ProviderTurn; failures end it with ERROR."""

    OPTIONS: frozenset[str] = frozenset()
    UNUSED_OPTIONS: frozenset[str] = frozenset()  # accepted from team files, not sent (with a warning)
    UNUSED_REASON = "this backend has no such setting"

    def __init__(self, model: str | None = None, api_key: str | None = None, base_url: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(model, api_key, base_url, **kwargs)
        check_options(self.options, self.OPTIONS | POLICY_KEYS | self.UNUSED_OPTIONS, self.label)
        self.policy = HttpPolicy.from_options(self.options, self.label)
        unused = sorted(name for name in self.UNUSED_OPTIONS if self.options.get(name) is not None)
        if unused:
            log.warning("%s: %s ignored (%s)", self.label, " and ".join(unused), self.UNUSED_REASON)

    @property
    def label(self) -> str:
        """How messages name this backend: agent id and type."""
        return f"{self.agent_id} ({self.backend_type})" if self.agent_id else self.backend_type

    def provider_errors(self) -> tuple[type[BaseException], ...]:
        """The exceptions a provider call may raise; subclasses add their SDK's."""
        import httpx2

        return (httpx2.TransportError, httpx2.StreamError, json.JSONDecodeError, MassGenError, MediaError)

    async def _stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
                      **call_options: Any) -> AsyncIterator[BaseStreamChunk]:
        turn = ProviderTurn(self.agent_id)
        try:
            async with aclosing(self._provider_stream(messages, tools, turn, **call_options)) as events:
                async for chunk in events:
                    yield chunk
        except GaveUp as exc:
            turn.fail(self._gave_up_message(exc))
        except self.provider_errors() as exc:
            turn.fail(self._failure_message(exc, mid_stream=turn.started))
        if turn.error is not None:
            turn.error = redact(turn.error, self._api_key)
            log.warning("%s", turn.error)
        for chunk in turn.finish():
            yield chunk

    def _provider_stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]], turn: ProviderTurn,
                         **call_options: Any) -> AsyncIterator[BaseStreamChunk]:
        """The provider's own loop: yield deltas and media through `turn`; raise or `turn.fail` on errors."""
        raise NotImplementedError

    def _failure_message(self, exc: BaseException, *, mid_stream: bool) -> str:
        if isinstance(exc, (MassGenError, MediaError)):
            return f"{self.label}: {exc}"
        return classify(exc).message(self.label, mid_stream=mid_stream)

    def _gave_up_message(self, exc: GaveUp) -> str:
        text = exc.failure.message(self.label, attempts=exc.attempts)
        return f"{text}; {exc.note}" if exc.note else text


def check_options(options: dict[str, Any], allowed: Iterable[str], who: str) -> None:
    """ConfigError for an option this backend does not know, with the closest known name."""
    known = sorted(allowed)
    for name in options:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known options: {', '.join(known)}"
            raise ConfigError(f"{who}: unknown backend option {name!r}{hint}")

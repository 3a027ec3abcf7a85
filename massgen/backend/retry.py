"""Open a provider stream with retries, for SDKs whose own retries miss a rule we need.

anthropic honours any Retry-After however long (300 s really sleeps 5 minutes) and google-genai
ignores it; so those backends turn SDK retries off and use this loop: retry 408/409/429/5xx,
timeouts and connection errors until the first event arrives, never after (text would repeat).
"""

from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator, Awaitable, Callable, TypeVar

from .failures import Failure, classify, redact
from .policy import HttpPolicy

T = TypeVar("T")
log = logging.getLogger("massgen.backend")


class GaveUp(Exception):
    """Opening the stream failed for good: `failure` says why, after `attempts` attempts."""

    def __init__(self, failure: Failure, attempts: int, note: str = "") -> None:
        super().__init__(failure.detail)
        self.failure = failure
        self.attempts = attempts
        self.note = note


async def open_stream(open_once: Callable[[], Awaitable[AsyncIterator[T]]], policy: HttpPolicy, who: str,
                      errors: tuple[type[BaseException], ...],
                      secret: str | None = None) -> tuple[AsyncIterator[T], T | None]:
    """(stream, first event or None if it was empty); raises GaveUp when retrying cannot help.

    `secret` (the API key) is kept out of the retry log lines.
    """
    attempt = 0
    while True:
        stream: AsyncIterator[T] | None = None
        try:
            stream = await open_once()
            return stream, await anext(stream)
        except StopAsyncIteration:
            assert stream is not None
            return stream, None
        except asyncio.CancelledError:
            await close_stream(stream)  # a turn cancelled while connecting releases its connection too
            raise
        except errors as exc:
            await close_stream(stream)
            failure = classify(exc)
            attempt += 1
            delay, note = _next_delay(failure, policy, attempt)
            if delay is None:
                raise GaveUp(failure, attempt, note) from exc
            reason = redact(failure.message(who).split(": ", 1)[-1], secret)
            log.info("%s: attempt %d failed (%s); retrying in %.2f s", who, attempt, reason, delay)
            await asyncio.sleep(delay)


def _next_delay(failure: Failure, policy: HttpPolicy, attempt: int) -> tuple[float | None, str]:
    """Seconds to wait before the next attempt, or None to give up (with a note why)."""
    if not failure.retryable or attempt > policy.max_retries:
        return None, ""
    if failure.retry_after is not None:
        if failure.retry_after > policy.retry_after_cap:
            return None, (f"the provider asks to wait {failure.retry_after:g} s, over the "
                          f"{policy.retry_after_cap:g} s cap (backend.retry_after_cap)")
        return failure.retry_after, ""
    return policy.backoff(attempt - 1), ""


async def close_stream(stream: object) -> None:
    """Close an SDK stream or async generator (this releases its HTTP connection)."""
    for name in ("close", "aclose"):
        closer = getattr(stream, name, None)
        if closer is not None:
            result = closer()
            if asyncio.iscoroutine(result):
                await result
            return

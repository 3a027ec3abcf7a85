"""Polling a long-running provider job with progress and a hard timeout (video generation)."""

from __future__ import annotations

import asyncio
import time
from typing import AsyncIterator, Awaitable, Callable, TypeVar, Union

from .errors import GenerationError
from .job import Progress

T = TypeVar("T")

DEFAULT_INTERVAL = 5.0
DEFAULT_TIMEOUT = 900.0


async def poll(fetch: Callable[[], Awaitable[T]], done: Callable[[T], bool], describe: Callable[[T, float], Progress],
               *, first: T, interval: float, timeout: float, what: str) -> AsyncIterator[Union[Progress, T]]:
    """Yield a Progress per poll, then the finished state; GenerationError when `timeout` passes.

    `first` is the state the create call returned; `describe(state, elapsed)` makes its Progress."""
    started = time.monotonic()
    state = first
    while not done(state):
        elapsed = time.monotonic() - started
        if elapsed >= timeout:
            raise GenerationError(f"{what} did not finish within {timeout:g} s; try again later or raise poll_timeout")
        yield describe(state, elapsed)
        await asyncio.sleep(min(interval, max(0.0, timeout - elapsed)))
        try:
            state = await asyncio.wait_for(fetch(), timeout=max(1.0, timeout - (time.monotonic() - started)))
        except asyncio.TimeoutError:
            raise GenerationError(f"{what}: a status check took too long; try again later") from None
    yield state


def estimated(elapsed: float, typical: float) -> float:
    """A percentage for providers that report none: rises toward 90 over a typical run, never reaching it."""
    return 90.0 * (1.0 - 1.0 / (1.0 + elapsed / max(1.0, typical)))

"""No full garbage collection while a run streams: it is done once the app has been idle for a moment.

A streaming screen holds a few hundred thousand small objects (Textual's cached strips and their
caches), and CPython's full (oldest-generation) collection walks all of them: measured here, 12 full
collections of 80-114 ms in 6 s of streaming at 1,000 chunks/s, each a visible stall. Young
collections stay on, so short-lived cycles are still freed at once; what outlives them waits for one
full collection after the run. Textual does the same for smooth scrolling (`App.PAUSE_GC_ON_SCROLL`).
That deferred collection is not free: 0.1-0.2 s after one fast run, up to 0.9 s after three demo
turns back to back (Textual leaves cyclic garbage behind, e.g. cached strips), so a run that streams
longer than `MAX_PAUSE_SECONDS` gets one full collection in between rather than a longer one at the end.
"""

from __future__ import annotations

import gc
import threading
import time

IDLE_SECONDS = 1.0  # the full collection waits until no run has streamed for this long
MAX_PAUSE_SECONDS = 15.0  # while runs stream, at most this long without a full collection
_NEVER = 1 << 30


class _Pause:
    """How many runs hold the pause, the threshold to put back, and when the last run let go."""

    holders = 0
    paused = False
    saved_old = 10
    released_at = 0.0
    collected_at = 0.0


def pause_full_collections() -> None:
    """A run starts streaming: no full collection until `collect_when_idle` finds every run over."""
    if not _Pause.paused:
        young, middle, old = gc.get_threshold()
        _Pause.saved_old, _Pause.paused = old, True
        _Pause.collected_at = time.monotonic()
        gc.set_threshold(young, middle, _NEVER)
    _Pause.holders += 1


def collect_if_due() -> bool:
    """Between chunks of a long run: one full collection if the pause has lasted MAX_PAUSE_SECONDS."""
    if not _Pause.paused or time.monotonic() - _Pause.collected_at < MAX_PAUSE_SECONDS:
        return False
    gc.collect()
    _Pause.collected_at = time.monotonic()
    return True


def release_full_collections() -> None:
    """The run is over: `collect_when_idle` runs IDLE_SECONDS later (a timer thread, so that it runs even
    if the app has closed by then and full collections are never left off)."""
    _Pause.holders = max(0, _Pause.holders - 1)
    _Pause.released_at = time.monotonic()
    if _Pause.holders == 0:
        timer = threading.Timer(IDLE_SECONDS, collect_when_idle)
        timer.daemon = True
        timer.start()


def collect_when_idle() -> bool:
    """If no run streams and none ended in the last IDLE_SECONDS: restore full collections and collect once."""
    idle = time.monotonic() - _Pause.released_at >= IDLE_SECONDS * 0.9
    if not _Pause.paused or _Pause.holders or not idle:
        return False
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, _Pause.saved_old)
    _Pause.paused = False
    gc.collect()
    return True


def full_collections_paused() -> bool:
    """Whether a run (or its idle grace period) holds full collections back."""
    return _Pause.paused

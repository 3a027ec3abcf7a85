"""Takes turns among the panels of one screen: one panel's streamed text goes to the screen per frame.

Textual repaints the bounding box of everything that changed since the last frame, and lays out the
whole screen when anything changes size. Eight panels that each append text whenever they like put
several panels into every frame, so every frame repaints nearly the whole screen. Here panels ask for
a turn; each turn appends one bounded fragment to one panel (see paced_stream), then
waits for one screen refresh before the next turn. Each panel is served at most every `PANEL_INTERVAL`
seconds (sooner when someone waits for its text to be on screen). Updates that span the screen (the
status bar's counts) are deferred to turns of their own, at most every `DEFERRED_INTERVAL` seconds.

Measured (8 demo agents, 200x50): a frame costs ~40 ms of layout and paint whatever it holds; serving
all eight panels in one frame cut the catch-up at a run's end to ~0.4 s but made frames of 80-140 ms
(p99 lag > 100 ms), so a frame serves one panel; waiting for one refresh per turn instead of two
halved the catch-up.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Callable, Hashable, Protocol
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from textual.screen import Screen

PANEL_INTERVAL = 0.1  # a streaming panel is updated up to 10 times a second
DEFERRED_INTERVAL = 0.25  # screen-wide updates (the status bar) at most 4 times a second
FRAME_TIMEOUT = 0.5  # a refresh that never comes (screen closing) does not stall the turns


class Paced(Protocol):
    """A widget with streamed text waiting to be shown."""

    painted_at: float
    urgent: bool

    async def paint_step(self) -> bool:
        """Show one bounded piece of the waiting text; True if more is waiting."""
        ...

    def after_paint(self) -> None:
        """The screen has been laid out with the turn's changes (sizes are known now)."""
        ...


class _Deferred:
    """Callbacks waiting for a turn of their own; a later one with the same key replaces an earlier one."""

    urgent = False

    def __init__(self) -> None:
        self.painted_at = 0.0
        self.callbacks: dict[Hashable, Callable[[], object]] = {}

    async def paint_step(self) -> bool:
        callbacks, self.callbacks = self.callbacks, {}
        for callback in callbacks.values():
            callback()
        return False

    def after_paint(self) -> None:
        pass


class FramePacer:
    """One per screen: serves waiting panels one per frame, the longest-unserved first."""

    def __init__(self, screen: "Screen", interval: float = PANEL_INTERVAL) -> None:
        self.screen = screen
        self.interval = interval
        self.turns = 0
        self._waiting: dict[Paced, None] = {}  # insertion-ordered set
        self._deferred = _Deferred()
        self._wake = asyncio.Event()
        self._started = False

    def request(self, panel: Paced) -> None:
        """`panel` has text to show; it gets a turn when due (O(1), safe to call per chunk)."""
        self._waiting[panel] = None
        self._wake.set()
        if not self._started:
            self._started = True
            self.screen.run_worker(self._run(), name="frame-pacer", group="frame-pacer", exit_on_error=True)

    def defer(self, key: Hashable, callback: Callable[[], object]) -> None:
        """Run `callback` in a turn of its own (coalesced by `key`), at most every DEFERRED_INTERVAL seconds."""
        self._deferred.callbacks[key] = callback
        self.request(self._deferred)

    def _interval(self, panel: Paced) -> float:
        return DEFERRED_INTERVAL if panel is self._deferred else self.interval

    def _choose(self, now: float) -> tuple[Paced | None, float | None]:
        """The panel to serve now (urgent first, then the longest unserved), else (None, seconds until one is
        due) or (None, None) if none waits."""
        best: Paced | None = None
        wait: float | None = None
        for panel in self._waiting:
            ahead = 0.0 if panel.urgent else panel.painted_at + self._interval(panel) - now
            if ahead <= 0:
                if best is None or (not panel.urgent, panel.painted_at) < (not best.urgent, best.painted_at):
                    best = panel
            elif wait is None or ahead < wait:
                wait = ahead
        return best, wait

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._wake.clear()
            panel, wait = self._choose(loop.time())
            if panel is None:
                try:
                    await asyncio.wait_for(self._wake.wait(), wait)
                except TimeoutError:
                    pass
                continue
            del self._waiting[panel]
            more = await panel.paint_step()
            panel.painted_at = loop.time()
            self.turns += 1
            if more:
                self._waiting[panel] = None
            await self._refresh()
            panel.after_paint()

    async def _refresh(self) -> None:
        """Wait until the screen has refreshed with what changed."""
        try:
            await asyncio.wait_for(self.screen.wait_for_refresh(), FRAME_TIMEOUT)
        except TimeoutError:
            pass


_PACERS: WeakKeyDictionary["Screen", FramePacer] = WeakKeyDictionary()


def pacer_for(screen: "Screen") -> FramePacer:
    """The screen's pacer (made on first use)."""
    pacer = _PACERS.get(screen)
    if pacer is None:
        pacer = _PACERS[screen] = FramePacer(screen)
    return pacer

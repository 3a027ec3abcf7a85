"""One agent's column: header with live status, then its stream (Markdown, tool calls, media, errors)."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any, Generator

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from massgen.media.item import MediaItem

from .agent_header import AgentHeader
from .final_answer import media_widget
from .frame_pacer import FramePacer, pacer_for
from .media_progress import MediaProgress
from .paced_stream import (MAX_APPEND, MAX_WIDGETS, MOUNTS_PER_TURN, BlockMount, ProgressNote, StatusNote,
                           TextBlock)
from .panel_log import PanelLog
from .status_words import ACTIVE_STATUSES
from .tool_call import ToolCallView

MAX_BLOCKS = 300
PANEL_CLASSES = ("failed", "winner")


class AgentPanel(Vertical):
    """Routes one agent's chunks into blocks; text is appended to Markdown blocks, never re-rendered whole.

    Nothing a chunk brings is drawn at once: it joins the panel's queue (O(1)), in stream order. The
    screen's frame pacer gives each panel turns, and only in its turn does a panel change the screen:
    one bounded text append and a few mounts, then the screen refreshes before the next panel's turn.
    So thousands of tiny chunks a second cost a few appends a second, and a frame repaints one panel.
    Methods that change the screen return an awaitable: await it to wait until the change is shown.
    """

    DEFAULT_CSS = """
    AgentPanel {
        border: round $panel-lighten-2;
        height: 1fr;
        width: 1fr;
        min-width: 30;
    }
    AgentPanel:focus-within { border: round $accent; }
    AgentPanel.-failed { border: round $error; }
    AgentPanel.-winner { border: round $warning; }
    """

    class StatusChanged(Message):
        """The agent's status word changed."""

        def __init__(self, agent_id: str, status: str) -> None:
            super().__init__()
            self.agent_id = agent_id
            self.status = status

    def __init__(self, agent_id: str, backend: str = "", model: str = "", *, image_mode: str = "inline",
                 max_blocks: int = MAX_BLOCKS, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.agent_id = agent_id
        self.backend = backend
        self.model = model
        self.image_mode = image_mode
        self.max_blocks = max_blocks
        self.pruned = 0
        self._header = AgentHeader(agent_id, backend, model)
        self._log = PanelLog()
        self._queue: deque[Any] = deque()  # screen changes, in stream order (see paced_stream)
        self._text: TextBlock | None = None  # the text block being streamed into
        self._blocks: deque[Widget] = deque()  # what is mounted in the log, oldest first (for pruning)
        self._pacer: FramePacer | None = None
        self._waiters = 0  # callers awaiting a change of this panel: they make it urgent
        self._idle_waiters: list[asyncio.Future[None]] = []
        self._header_stale = False
        self.detail = ""  # the latest status detail asked for (the header shows it once its turn comes)
        self._partials: dict[MediaProgress, MediaItem] = {}  # partial pictures for bars not mounted yet
        self.painted_at = 0.0  # the pacer's bookkeeping: when this panel last had a turn
        self._progress: dict[str, MediaProgress] = {}
        self.media: list[MediaItem] = []
        self.text_chunks = 0

    def compose(self) -> ComposeResult:
        yield self._header
        yield self._log

    @property
    def log_view(self) -> PanelLog:
        return self._log

    @property
    def header(self) -> AgentHeader:
        return self._header

    @property
    def status(self) -> str:
        """The status on screen: a status waits in the queue behind the blocks that came before it."""
        return self._header.status

    @property
    def is_active(self) -> bool:
        """Whether the status says the agent is still at work."""
        return self.status in ACTIVE_STATUSES

    @property
    def urgent(self) -> bool:
        """Someone awaits a change of this panel (e.g. the run is ending): the pacer serves it without delay."""
        return self._waiters > 0

    def set_status(self, status: str, detail: str = "") -> None:
        """Show a status word (see massgen's AGENT_STATUS words) and a one-line detail, after what came before it.

        With nothing queued the status is taken at once (the header repaints on the next turn); else it
        waits in the queue, so that a "failed" never shows before the error that explains it."""
        self.detail = " ".join(detail.split())
        if self._queue:
            self._enqueue(StatusNote(status, self.detail))
        else:
            self._note_status(status, self.detail)
            self._request()

    def _note_status(self, status: str, detail: str) -> None:
        old = self._header.status
        self._header.note_status(status, detail)
        self._header_stale = True
        for marked in PANEL_CLASSES:  # only these restyle the whole panel, so only they become classes
            if (marked == status) != (marked == old):
                self._mark(marked == status, f"-{marked}")
        if old != status and self.is_attached:  # the status bar's counts, in a turn of their own
            self._paced().defer(("status", self.agent_id), self._announce_status)

    def _mark(self, add: bool, name: str) -> None:
        """Toggle a class that only the panel's own rules use (its border): restyle the panel alone.
        A plain set_class restyles every block inside too, which took 90-220 ms on a long panel."""
        self.set_class(add, name, update=False)
        if self.is_attached:
            self.app.stylesheet.apply(self)

    def _announce_status(self) -> None:
        self.post_message(self.StatusChanged(self.agent_id, self.status))

    # --- queueing (what chunks do: O(1), nothing drawn) ---------------------------------------
    async def append_text(self, text: str, kind: str = "content") -> None:
        """Stream a text delta; a change of kind (content/reasoning) or a block in between starts a new block."""
        if not text:
            return
        self.text_chunks += 1
        block = self._text
        if block is None or block.kind != kind:
            block = self._text = TextBlock(kind)
        block.add(text)
        if not block.queued:
            block.queued = True
            self._enqueue(block)

    def end_text(self) -> "OnScreen":
        """Finish the text block being streamed (at once); await the result to wait until all is on screen."""
        self._text = None
        return OnScreen(self, None)

    def add_tool_calls(self, calls: list[dict[str, Any]]) -> "OnScreen":
        """One compact line per call."""
        self.end_text()
        ops = [self._enqueue(BlockMount(ToolCallView(call))) for call in calls]
        return OnScreen(self, ops[-1].done if ops else None)

    def add_error(self, message: str) -> "OnScreen":
        """An error inline, readable, where the user is looking."""
        return self._add_block(Static(f"✗ {message}", classes="error", markup=False))

    def add_note(self, text: str, kind: str = "note") -> "OnScreen":
        """A line of the app's own (a turn separator, a cancellation note)."""
        return self._add_block(Static(text, classes=kind, markup=False))

    def show_progress(self, media_id: str, media_type: str, percent: float | None, label: str = "",
                      partial: MediaItem | None = None) -> "OnScreen":
        """Create or move the progress bar of `media_id` (awaiting gives the bar); show a partial picture."""
        widget = self._progress.get(media_id)
        partial = partial if media_type == "image" else None
        if widget is not None:  # it moves on the panel's turn, like everything else on screen
            self._enqueue(ProgressNote(widget, percent, label or None, partial))
            return OnScreen(self, None, widget)
        self.end_text()
        widget = MediaProgress(media_id, media_type, label)
        self._progress[media_id] = widget
        widget.set_progress(percent, label or None)  # not on screen yet: the bar starts where it should
        if partial is not None:
            self._partials[widget] = partial  # decoded once the bar is mounted
        return OnScreen(self, self._enqueue(BlockMount(widget)).done, widget)

    def add_media(self, item: MediaItem) -> "OnScreen":
        """The finished media, in place of its progress bar if there was one (awaiting gives the widget)."""
        self.media.append(item)
        progress = self._progress.pop(item.media_id or "", None)
        if progress is None:
            self.end_text()
        op = self._enqueue(BlockMount(media_widget(item, self.image_mode), replacing=progress))
        return OnScreen(self, op.done)

    def end_progress(self, media_id: str, text: str, percent: float | None = None) -> bool:
        """Stop one progress bar (an upload done, an edit that failed) with a last label; False if none."""
        progress = self._progress.pop(media_id, None)
        if progress is not None:
            progress.set_progress(percent, text)
        return progress is not None

    async def abandon_progress(self, reason: str) -> None:
        """Progress bars that will never finish (the run ended) say so instead of hanging at N%."""
        for progress in self._progress.values():
            progress.set_progress(None, f"{progress.media_type} not finished: {reason}")
        self._progress.clear()

    def _add_block(self, widget: Widget) -> "OnScreen":
        self.end_text()
        return OnScreen(self, self._enqueue(BlockMount(widget)).done)

    def _enqueue(self, op: Any) -> Any:
        self._queue.append(op)
        self._request()
        return op

    def _paced(self) -> FramePacer:
        if self._pacer is None:
            self._pacer = pacer_for(self.screen)
        return self._pacer

    def _request(self) -> None:
        if self.is_attached:
            self._paced().request(self)

    # --- the panel's turn (called by the frame pacer) ------------------------------------------
    async def paint_step(self) -> bool:
        """Work off the queue in order, up to MAX_APPEND characters (about MAX_WIDGETS new widgets) of text and
        a few mounts; True if more waits. The screen is not refreshed until the turn is over."""
        with self.app.batch_update():
            return await self._work_queue()

    async def _work_queue(self) -> bool:
        chars, widgets, mounts = MAX_APPEND, MAX_WIDGETS, 0
        while self._queue and chars > 0 and widgets > 0 and mounts < MOUNTS_PER_TURN:
            op = self._queue[0]
            if isinstance(op, StatusNote):
                self._note_status(op.status, op.detail)
            elif isinstance(op, ProgressNote):
                self._move_bar(op)
            elif isinstance(op, BlockMount):
                await self._mount_op(op)
                mounts += 1
            else:
                if not op.mounted and not op.dead:
                    op.mounted = True
                    mounts += 1
                    await self._mount_block(op.markdown)
                if op.text_waiting:
                    used_chars, used_widgets = await op.write_step(chars, widgets)
                    chars, widgets = chars - used_chars, widgets - used_widgets
                if op.text_waiting:
                    break
                op.queued = False
            self._queue.popleft()
        if self._header_stale:
            self._header_stale = False
            self._header.show_status()
        if not self._queue:
            self._resolve_idle()
        return bool(self._queue)

    def _move_bar(self, op: ProgressNote) -> None:
        if op.bar not in self._progress.values():
            return  # ended, abandoned or replaced by its media meanwhile: its last words stand
        op.bar.set_progress(op.percent, op.label)
        if op.partial is not None:
            op.bar.show_partial(op.partial)

    def after_paint(self) -> None:
        """The turn's blocks have their sizes now: fold the history the panel no longer needs laid out."""
        self._log.fold_history()

    async def _mount_op(self, op: BlockMount) -> None:
        widget, old = op.widget, op.replacing
        if old is not None and old.is_attached:
            await self._log.mount(widget, after=old)
            self._blocks = deque(widget if block is old else block for block in self._blocks)
            await old.remove()
        else:
            await self._mount_block(widget)
        partial = self._partials.pop(widget, None) if isinstance(widget, MediaProgress) else None
        if partial is not None:
            widget.show_partial(partial)  # type: ignore[union-attr]
        op.finish()

    async def _mount_block(self, widget: Widget) -> None:
        self._blocks.append(widget)
        await self._log.mount(widget)
        if len(self._blocks) > self.max_blocks:
            await self._prune()

    async def _prune(self) -> None:
        """Drop the oldest blocks so long sessions stay small; a note says how many and where they are."""
        doomed = [self._blocks.popleft() for _ in range(len(self._blocks) - self.max_blocks)]
        for media_id, progress in list(self._progress.items()):
            if progress in doomed:
                del self._progress[media_id]
        for op in self._queue:
            if isinstance(op, TextBlock) and op.markdown in doomed:
                op.dead = True
        self.pruned += len(doomed)
        note = f"… {self.pruned} earlier blocks hidden to save memory (Ctrl+S saves the full transcript)"
        self._log.forget(doomed)
        await self._log.remove_children(doomed)
        existing = self._log.query_children(".pruned")
        if existing:
            existing.first(Static).update(note)
        else:
            await self._log.mount(Static(note, classes="pruned", markup=False), before=0)

    # --- waiting for the screen ------------------------------------------------------------------
    async def wait_shown(self, done: asyncio.Future[Any] | None) -> Any:
        """Wait for `done` (None: for the whole queue), serving this panel without delay meanwhile."""
        if not self.is_attached:  # removed (or never mounted): nothing will be shown any more
            return done.result() if done is not None and done.done() else None
        if done is None:
            if not self._queue:
                return None
            done = asyncio.get_running_loop().create_future()
            self._idle_waiters.append(done)
        if done.done():
            return done.result()
        self._waiters += 1
        self._request()
        try:
            return await done
        finally:
            self._waiters -= 1

    def _resolve_idle(self) -> None:
        waiters, self._idle_waiters = self._idle_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)


class OnScreen:
    """What a panel's screen-changing methods return: awaiting it waits until the change is shown (and gives
    the widget, where there is one); not awaiting it costs nothing, the change is made on the panel's turn."""

    def __init__(self, panel: AgentPanel, done: asyncio.Future[Any] | None, value: Any = None) -> None:
        self.panel = panel
        self.done = done
        self.value = value

    def __await__(self) -> Generator[Any, None, Any]:
        return self._wait().__await__()

    async def _wait(self) -> Any:
        result = await self.panel.wait_shown(self.done)
        return self.value if self.value is not None else result

"""One agent's column: header with live status, then its stream (Markdown, tool calls, media, errors)."""

from __future__ import annotations

import time
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Markdown, Static

from .agent_header import AgentHeader
from .final_answer import media_widget
from .media_progress import MediaProgress
from .media_source import MediaSource
from .paced_stream import PacedMarkdownStream
from .status_words import ACTIVE_STATUSES
from .tool_call import ToolCallView

MAX_BLOCKS = 300
FLUSH_SECONDS = 1 / 20  # text deltas are gathered and handed to the MarkdownStream at most 20 times a second
PANEL_CLASSES = ("failed", "winner")


def _until_next_tick(phase: float) -> float:
    """Seconds to this panel's next flush tick. Ticks follow the clock, each panel at its own phase (0..1),
    so that the panels take turns: a frame lays out and repaints one or two panels, not all of them."""
    shifted = time.monotonic() - phase * FLUSH_SECONDS
    return FLUSH_SECONDS - (shifted % FLUSH_SECONDS) + 0.001


class PanelLog(VerticalScroll, can_focus=True):
    """The scrolling part of a panel; anchored to the bottom until the user scrolls up."""

    DEFAULT_CSS = """
    PanelLog { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; scrollbar-gutter: stable; }
    PanelLog > Markdown { margin: 0 0 1 0; padding: 0; }
    PanelLog MarkdownHeader { margin: 1 0 1 0; }
    PanelLog > Markdown.reasoning { color: $text-muted; text-style: italic; border-left: wide $panel-lighten-2; padding-left: 1; }
    PanelLog > .error { color: $text-error; background: $error 10%; padding: 0 1; margin: 0 0 1 0; height: auto; }
    PanelLog > .note { color: $text-muted; height: auto; margin: 0 0 1 0; }
    PanelLog > .turn { color: $text-accent; text-style: bold; height: auto; margin: 0 0 1 0; }
    PanelLog > .pruned { color: $text-muted; text-style: italic; height: auto; }
    """

    def on_resize(self) -> None:
        self._follow_if_overflowing()

    def watch_virtual_size(self) -> None:
        self._follow_if_overflowing()

    def _follow_if_overflowing(self) -> None:
        """Follow the stream only once it overflows (an anchored short log would sit at the bottom)."""
        overflows = self.virtual_size.height > self.scrollable_content_region.height
        if overflows and not self.is_anchored:
            self.anchor()
        elif not overflows and self.is_anchored:
            self.anchor(False)
            self.scroll_home(animate=False, immediate=True)  # a scroll left from taller content would hide the top


class AgentPanel(Vertical):
    """Routes one agent's chunks into blocks; text goes through a MarkdownStream, never a full re-render.

    Deltas are gathered and written to the stream at most 20 times a second, so that thousands of tiny
    chunks a second cost one Markdown append per tick, not one each.
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
        self._markdown: Markdown | None = None
        self._stream: PacedMarkdownStream | None = None
        self._stream_kind = ""
        self._pending: list[str] = []
        self.flush_phase = 0.0  # set by whoever lays the panels out: its turn within each flush tick
        self._flush_timer: Timer | None = None
        self._progress: dict[str, MediaProgress] = {}
        self.media: list[MediaSource] = []
        self.text_chunks = 0

    def compose(self) -> ComposeResult:
        yield AgentHeader(self.agent_id, self.backend, self.model)
        yield PanelLog()

    @property
    def log_view(self) -> PanelLog:
        return self.query_one(PanelLog)

    @property
    def header(self) -> AgentHeader:
        return self.query_one(AgentHeader)

    @property
    def status(self) -> str:
        return self.header.status

    def set_status(self, status: str, detail: str = "") -> None:
        """Show a status word (see massgen's AGENT_STATUS words) and an optional one-line detail."""
        old = self.header.status
        self.header.detail = " ".join(detail.split())
        self.header.status = status
        for marked in PANEL_CLASSES:  # only these restyle the whole panel, so only they become classes
            if (marked == status) != (marked == old):
                self.set_class(marked == status, f"-{marked}")
        if old != status:
            self.post_message(self.StatusChanged(self.agent_id, status))

    async def append_text(self, text: str, kind: str = "content") -> None:
        """Stream a text delta; a change of kind (content/reasoning) or a block in between starts a new one."""
        if not text:
            return
        self.text_chunks += 1
        if self._stream is None or self._stream_kind != kind:
            await self.end_text()
            markdown = Markdown(classes=kind)
            await self._mount_block(markdown)
            stream = PacedMarkdownStream(markdown)
            stream.start()
            self._markdown, self._stream, self._stream_kind = markdown, stream, kind
        self._pending.append(text)
        if self._flush_timer is None:
            self._flush_timer = self.set_timer(_until_next_tick(self.flush_phase), self._flush)

    async def _flush(self) -> None:
        """Hand the text gathered since the last frame to the MarkdownStream, as one fragment."""
        self._flush_timer = None
        if self._pending and self._stream is not None:
            text = "".join(self._pending)
            self._pending.clear()
            await self._stream.write(text)

    async def end_text(self) -> None:
        """Finish the text block being streamed (waits for its last fragment to render)."""
        if self._flush_timer is not None:
            self._flush_timer.stop()
        await self._flush()
        stream, self._stream, self._markdown = self._stream, None, None
        if stream is not None:
            await stream.stop()

    async def add_tool_calls(self, calls: list[dict[str, Any]]) -> None:
        """One compact line per call."""
        await self.end_text()
        for call in calls:
            await self._mount_block(ToolCallView(call))

    async def show_progress(self, media_id: str, media_type: str, percent: float | None, label: str = "",
                            partial: MediaSource | None = None) -> MediaProgress:
        """Create or move the progress bar of `media_id`; show a partial picture if one came."""
        widget = self._progress.get(media_id)
        if widget is None:
            await self.end_text()
            widget = MediaProgress(media_id, media_type, label)
            self._progress[media_id] = widget
            await self._mount_block(widget)
        widget.set_progress(percent, label or None)
        if partial is not None and media_type == "image":
            widget.show_partial(partial)
        return widget

    async def add_media(self, source: MediaSource) -> Widget:
        """The finished media, in place of its progress bar if there was one."""
        self.media.append(source)
        widget = media_widget(source, self.image_mode)
        progress = self._progress.pop(source.media_id or "", None)
        if progress is not None and progress.is_attached:
            await self.log_view.mount(widget, after=progress)
            await progress.remove()
        else:
            await self.end_text()
            await self._mount_block(widget)
        return widget

    async def add_error(self, message: str) -> None:
        """An error inline, readable, where the user is looking."""
        await self.end_text()
        await self._mount_block(Static(f"✗ {message}", classes="error", markup=False))

    async def add_note(self, text: str, kind: str = "note") -> None:
        """A line of the app's own (a turn separator, a cancellation note)."""
        await self.end_text()
        await self._mount_block(Static(text, classes=kind, markup=False))

    async def abandon_progress(self, reason: str) -> None:
        """Progress bars that will never finish (the run ended) say so instead of hanging at N%."""
        for progress in self._progress.values():
            progress.set_progress(None, f"{progress.media_type} not finished: {reason}")
        self._progress.clear()

    async def _mount_block(self, widget: Widget) -> None:
        log = self.log_view
        await log.mount(widget)
        if len(log.children) > self.max_blocks + 1:
            await self._prune()

    async def _prune(self) -> None:
        """Drop the oldest blocks so long sessions stay small; a note says how many and where they are."""
        log = self.log_view
        blocks = [child for child in log.children if not child.has_class("pruned")]
        doomed = blocks[: len(blocks) - self.max_blocks]
        if not doomed:
            return
        for media_id, progress in list(self._progress.items()):
            if progress in doomed:
                del self._progress[media_id]
        self.pruned += len(doomed)
        note = f"… {self.pruned} earlier blocks hidden to save memory (Ctrl+S saves the full transcript)"
        await log.remove_children(doomed)
        existing = log.query_children(".pruned")
        if existing:
            existing.first(Static).update(note)
        else:
            await log.mount(Static(note, classes="pruned", markup=False), before=0)

    @property
    def is_active(self) -> bool:
        """Whether the status says the agent is still at work."""
        return self.status in ACTIVE_STATUSES

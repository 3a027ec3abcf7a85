"""Routes each chunk of a run to the panel of the agent that produced it (or to the run itself)."""

from __future__ import annotations

from typing import Awaitable, Callable, Protocol

from massgen.media import MediaError, MediaItem
from massgen.stream_chunk import (ORCHESTRATOR, AgentStatus, BaseStreamChunk, ChunkType, MultimodalStreamChunk,
                                  TextStreamChunk, text_of)
from widgets.agent_panel import AgentPanel

# the statuses after which an agent's current block of text is complete
_ENDS_BLOCK = frozenset({AgentStatus.ANSWERED, AgentStatus.VOTED, AgentStatus.DONE, AgentStatus.FAILED,
                         AgentStatus.CANCELLED, AgentStatus.WINNER})


class RunSink(Protocol):
    """What the router needs from the screen: panels by agent id, and a place for run-level events."""

    def panel_for(self, agent_id: str) -> AgentPanel | None: ...

    async def run_event(self, chunk: BaseStreamChunk) -> None: ...

    async def media_added(self, item: MediaItem) -> None: ...


class ChunkRouter:
    """Turns the chunk vocabulary into panel calls; keeps per-agent reasoning flags and the media it showed.

    It never waits for rendering: each chunk only joins its panel's queue (see AgentPanel), so a slow
    frame never holds up the stream.
    """

    def __init__(self, sink: RunSink) -> None:
        self.sink = sink
        self.routed = 0
        self.media: list[MediaItem] = []  # what this run showed, in order (the final answer's media are among them)
        self._reasoning_streamed: set[str] = set()
        self._panels: dict[str, AgentPanel] = {}  # agent id -> panel, looked up once per run
        self._handlers: dict[ChunkType, Callable[[AgentPanel, BaseStreamChunk], Awaitable[None]]] = {
            ChunkType.CONTENT: self._content,
            ChunkType.REASONING: self._reasoning,
            ChunkType.REASONING_SUMMARY: self._reasoning,
            ChunkType.REASONING_DONE: self._reasoning_done,
            ChunkType.REASONING_SUMMARY_DONE: self._reasoning_done,
            ChunkType.TOOL_CALLS: self._tool_calls,
            ChunkType.TOOL_STATUS: self._tool_status,
            ChunkType.MEDIA_PROGRESS: self._media_progress,
            ChunkType.MEDIA: self._media,
            ChunkType.ERROR: self._error,
            ChunkType.AGENT_STATUS: self._status,
            ChunkType.BACKEND_STATUS: self._backend_status,
            ChunkType.COMPLETE_MESSAGE: self._end_text,
            ChunkType.DONE: self._end_text,
            ChunkType.ATTACHMENT: self._attachment,
            ChunkType.ATTACHMENT_COMPLETE: self._attachment,
        }

    async def route(self, chunk: BaseStreamChunk) -> None:
        """Send one chunk where it belongs; run-level chunks and unknown sources go to the sink."""
        self.routed += 1
        panel = self._panel(chunk.source) if chunk.source and chunk.source != ORCHESTRATOR else None
        handler = self._handlers.get(chunk.type)
        if panel is None or handler is None:
            await self.sink.run_event(chunk)
            return
        await handler(panel, chunk)

    def _panel(self, agent_id: str) -> AgentPanel | None:
        panel = self._panels.get(agent_id)
        if panel is None:
            panel = self.sink.panel_for(agent_id)
            if panel is not None:
                self._panels[agent_id] = panel
        return panel

    async def _content(self, panel: AgentPanel, chunk: BaseStreamChunk) -> None:
        await panel.append_text(text_of(chunk))

    async def _reasoning(self, panel: AgentPanel, chunk: BaseStreamChunk) -> None:
        assert isinstance(chunk, TextStreamChunk)
        text = chunk.reasoning_delta or chunk.reasoning_summary_delta or chunk.reasoning_text or ""
        if text:
            self._reasoning_streamed.add(panel.agent_id)
            await panel.append_text(text, kind="reasoning")

    async def _reasoning_done(self, panel: AgentPanel, chunk: BaseStreamChunk) -> None:
        """The full reasoning text: shown only if no deltas were (otherwise it would appear twice)."""
        assert isinstance(chunk, TextStreamChunk)
        if panel.agent_id not in self._reasoning_streamed:
            await panel.append_text(chunk.reasoning_text or chunk.reasoning_summary_text or "", kind="reasoning")
        self._reasoning_streamed.discard(panel.agent_id)

    async def _tool_calls(self, panel: AgentPanel, chunk: BaseStreamChunk) -> None:
        assert isinstance(chunk, TextStreamChunk)
        panel.add_tool_calls(chunk.tool_calls or [])

    async def _tool_status(self, panel: AgentPanel, chunk: BaseStreamChunk) -> None:
        assert isinstance(chunk, TextStreamChunk)
        detail = f": {chunk.content}" if chunk.content else ""
        panel.add_note(f"⚙ {chunk.status}{detail}")

    async def _media_progress(self, panel: AgentPanel, chunk: BaseStreamChunk) -> None:
        assert isinstance(chunk, MultimodalStreamChunk)
        media_type = chunk.media_type.value if chunk.media_type else "media"
        partial = None
        if chunk.media_data is not None:
            try:
                partial = chunk.item()
            except MediaError:
                partial = None  # a broken preview frame; the progress bar still moves
        panel.show_progress(chunk.media_id or f"{panel.agent_id}-media", media_type, chunk.get_progress(),
                                  chunk.text_content or "", partial)

    async def _media(self, panel: AgentPanel, chunk: BaseStreamChunk) -> None:
        assert isinstance(chunk, MultimodalStreamChunk)
        try:
            item = chunk.item()
        except MediaError as exc:
            panel.add_error(f"media could not be shown: {exc}")
            return
        panel.add_media(item)  # queued like text: the stream never waits for a picture to decode
        self.media.append(item)
        await self.sink.media_added(item)

    async def _error(self, panel: AgentPanel, chunk: BaseStreamChunk) -> None:
        message = text_of(chunk) or "unknown error"
        panel.add_error(message)
        panel.set_status(AgentStatus.FAILED, message)

    async def _status(self, panel: AgentPanel, chunk: BaseStreamChunk) -> None:
        assert isinstance(chunk, TextStreamChunk)
        word = chunk.status or AgentStatus.IDLE  # a word this version does not know is shown as it is
        if word in _ENDS_BLOCK:
            panel.end_text()  # the block is finished; its text reaches the screen on the panel's turns
        detail = chunk.content or ""
        if word == AgentStatus.FAILED and not detail and panel.detail:
            detail = panel.detail  # keep the error the ERROR chunk showed
        panel.set_status(word, detail)

    async def _backend_status(self, panel: AgentPanel, chunk: BaseStreamChunk) -> None:
        assert isinstance(chunk, TextStreamChunk)
        panel.add_note(f"… {chunk.content or chunk.status}")

    async def _end_text(self, panel: AgentPanel, chunk: BaseStreamChunk) -> None:
        panel.end_text()

    async def _attachment(self, panel: AgentPanel, chunk: BaseStreamChunk) -> None:
        """Upload progress as a bar (ATTACHMENT with a byte count), closed by ATTACHMENT_COMPLETE; else a note."""
        name = attachment_name(chunk)
        given = chunk.media_id if isinstance(chunk, MultimodalStreamChunk) else None
        media_id = given or f"{panel.agent_id}-upload-{name}"
        if chunk.type == ChunkType.ATTACHMENT_COMPLETE:
            if not panel.end_progress(media_id, f"uploaded {name}", 100.0):
                panel.add_note(f"📎 {name}: uploaded")
            return
        percent = chunk.get_progress() if isinstance(chunk, MultimodalStreamChunk) else None
        if percent is not None:
            panel.show_progress(media_id, "upload", percent, f"uploading {name}")
        else:
            panel.add_note(f"📎 {name}: {text_of(chunk) or 'received'}")


def attachment_name(chunk: BaseStreamChunk) -> str:
    """The file an ATTACHMENT chunk is about: its metadata's name, its path's name, or its text."""
    if isinstance(chunk, MultimodalStreamChunk):
        if chunk.media_metadata is not None and chunk.media_metadata.filename:
            return chunk.media_metadata.filename
        data = chunk.media_data
        if isinstance(data, str) and data and "/" in data:
            return data.rsplit("/", 1)[-1]
    return text_of(chunk) or "attachment"

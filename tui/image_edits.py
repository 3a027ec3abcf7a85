"""Editing an image from the app: `e` on a focused image (panel, final answer, viewer) or `/edit <change>`.

The edit runs in a worker through `massgen.iterate.refine_image`, which continues the image's own
thread (its continuation id) on the backend that made it and saves the new version in the session.
Progress and the new version ("v2 of poster.png") appear in the panel of the agent that made the image;
an open viewer steps to it. A lost thread gives a one-line message and offers to start again from the
image itself (image-to-image)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from massgen.errors import MassGenError
from massgen.media import MediaError, MediaItem, version_label
from massgen.stream_chunk import BaseStreamChunk, ChunkType, ErrorCode, MultimodalStreamChunk, text_of
from tui.messages import MediaAdded

if TYPE_CHECKING:
    from tui.app import MassGenApp
    from widgets.agent_panel import AgentPanel

EDIT_COMMAND = "/edit"
MESSAGE_SECONDS = 10


def is_edit_command(text: str) -> bool:
    """`/edit` or `/edit <instruction>` (not `/editor`)."""
    return text == EDIT_COMMAND or text.startswith(EDIT_COMMAND + " ")


class ImageEdits:
    """Starts edits and shows what they produce; `selected` is the image `/edit` applies to.

    It reads the app through its typed members and tells it of each new version with MediaAdded."""

    def __init__(self, app: "MassGenApp", environ: Mapping[str, str] | None = None) -> None:
        self.app = app
        self.environ = environ
        self.selected: MediaItem | None = None
        self.finished = 0  # edits that ran to their end (tests wait on it)

    def target(self) -> MediaItem | None:
        """The selected image, else the most recent one."""
        if self.selected is not None:
            return self.selected
        images = self.app.images()
        return images[-1] if images else None

    def command(self, text: str) -> None:
        """`/edit <instruction>` from a prompt: edit the selected (or latest) image; `/edit` alone asks."""
        instruction = text[len(EDIT_COMMAND):].strip()
        if instruction:
            source = self.target()
            if source is None:
                self._no_image()
            else:
                self.start(source, instruction)
        else:
            self.ask(None)

    def ask(self, source: MediaItem | None) -> None:
        """Ask what to change (a small dialog), then start the edit."""
        from tui.screens.edit_dialogs import EditInstruction

        chosen = source or self.target()
        if chosen is None:
            self._no_image()
            return
        self.selected = chosen

        def answered(instruction: str | None) -> None:
            if instruction:
                self.start(chosen, instruction)

        self.app.push_screen(EditInstruction(version_label(chosen) or chosen.name), answered)

    def start(self, source: MediaItem, instruction: str, fallback: bool = False) -> None:
        """Run the edit in a worker (several may run at once)."""
        if self.app.session is None:
            self.app.notify("The team is still loading; edit the image in a moment.", severity="warning")
            return
        self.app.run_worker(self._run(source, instruction, fallback), group="edit")

    async def _run(self, source: MediaItem, instruction: str, fallback: bool) -> None:
        from massgen.iterate import refine_image

        session = self.app.session
        assert session is not None  # start() checked it, and a session is never taken away
        panel = self._panel(source.agent)
        if panel is not None and not fallback:
            await panel.add_note(f"✎ edit of {version_label(source) or source.name}: {instruction}")
        try:
            stream = refine_image(_key(source), instruction, session, fallback=fallback, environ=self.environ)
            async for chunk in stream:
                await self._show(chunk, source, instruction)
        except (MassGenError, ValueError, OSError) as exc:  # RefineError, SessionError, a disk that refuses
            self.app.notify(" ".join(str(exc).split()), title="Edit not started", severity="error",
                            timeout=MESSAGE_SECONDS)
        finally:
            self.finished += 1

    async def _show(self, chunk: BaseStreamChunk, source: MediaItem, instruction: str) -> None:
        panel = self._panel(chunk.source, source.agent)
        if chunk.type == ChunkType.MEDIA_PROGRESS and isinstance(chunk, MultimodalStreamChunk) and panel:
            await panel.show_progress(chunk.media_id or "edit", "image", chunk.get_progress(),
                                      chunk.text_content or f"editing {source.name}")
        elif chunk.type == ChunkType.MEDIA and isinstance(chunk, MultimodalStreamChunk):
            await self._new_version(chunk, source, panel)
        elif chunk.type == ChunkType.ERROR:
            await self._problem(chunk, source, instruction, panel)

    async def _new_version(self, chunk: MultimodalStreamChunk, source: MediaItem, panel: "AgentPanel | None") -> None:
        try:
            new = chunk.item()
        except MediaError as exc:
            self.app.notify(f"The edited image cannot be shown: {exc}", severity="error", timeout=MESSAGE_SECONDS)
            return
        self.selected = new
        if panel is not None:
            await panel.add_media(new)
        self.app.post_message(MediaAdded(new, edited=True))  # the app keeps it, and an open viewer steps to it
        self.app.notify(f"{version_label(new) or new.name} is ready" + (f" in {panel.agent_id}'s panel" if panel else ""))

    async def _problem(self, chunk: BaseStreamChunk, source: MediaItem, instruction: str,
                       panel: "AgentPanel | None") -> None:
        """A lost thread offers a restart from the image; a fallback's note is shown as a note; else an error."""
        from massgen.iterate import offers_restart

        message = " ".join(text_of(chunk).split()) or "the edit failed"
        media_id = chunk.media_id if isinstance(chunk, MultimodalStreamChunk) else None
        if panel is not None and media_id:
            panel.end_progress(media_id, f"edit not finished: {message}")
        if offers_restart(chunk):
            if panel is not None:
                await panel.add_error(message)
            self._offer_restart(message, source, instruction)
        elif chunk.error_code == ErrorCode.RESTARTING and panel is not None:  # a note: the edit goes on
            await panel.add_note(f"… {message}")
        else:
            if panel is not None:
                await panel.add_error(message)
            self.app.notify(message, title="Edit failed", severity="error", timeout=MESSAGE_SECONDS)

    def _offer_restart(self, message: str, source: MediaItem, instruction: str) -> None:
        from tui.screens.edit_dialogs import RestartOffer

        def answered(yes: bool | None) -> None:
            if yes:
                self.start(source, instruction, fallback=True)

        self.app.push_screen(RestartOffer(message), answered)

    def _panel(self, *agent_ids: str | None) -> "AgentPanel | None":
        """The first of these agents' panels; the current panel for an image no agent made (an attachment)."""
        main = self.app.main
        for agent_id in agent_ids:
            panel = main.panel_for(agent_id) if agent_id else None
            if panel is not None:
                return panel
        return main.current_panel()

    def _no_image(self) -> None:
        self.app.notify("No image to edit yet: select one in a panel (click it), or wait for the team to make one.",
                        severity="warning")


def _key(source: MediaItem) -> str:
    """What refine_image is given: the file, else the media id or continuation id the session knows."""
    return source.path or source.media_id or source.continuation_id or ""

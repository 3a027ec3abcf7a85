"""The main screen: status bar, the agents' panels side by side, the prompt, the Footer."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from massgen.stream_chunk import BaseStreamChunk, ChunkType, TextStreamChunk, text_of
from tui.app import MassGenApp
from tui.messages import MediaAdded
from tui.panel_grid import PanelGrid
from tui.run_state import Phase, RunStatus
from widgets.prompt_input import PromptInput
from widgets.status_words import status_look

if TYPE_CHECKING:  # the panel widgets are imported after the first frame (set_team), to start fast
    from tui.attach_flow import AttachFlow
    from tui.team_loader import LoadedTeam
    from widgets.attachment_bar import AttachmentBar
    from widgets.agent_header import AgentHeader
    from widgets.agent_panel import AgentPanel
    from massgen.media import MediaItem
    from widgets.media_link import MediaLink
    from widgets.media_view import MediaView


COMPACT_HEIGHT = 30  # rows below which the notice keeps to one line


class MainScreen(Screen[None]):
    """Shows the team at work; the run itself is driven by the app's TeamRun."""

    CSS_PATH = "main.tcss"
    AUTO_FOCUS = "#prompt"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Stop the run; everything that streamed is kept"),
        Binding("ctrl+f", "final", "Answer", tooltip="Show the final answer, winner and votes"),
        Binding("ctrl+g", "images", "Images", tooltip="Open the latest image full screen"),
        Binding("ctrl+o", "maximise", "Zoom", tooltip="Maximise the current agent panel, or restore the grid"),
        Binding("ctrl+n", "next_panel", "Next agent", tooltip="Move to the next agent panel"),
        # Ctrl+A would be the obvious key, but the prompt (an Input) uses it for Home, as readline does.
        Binding("ctrl+l", "attach", "Attach", tooltip="Choose a file to attach (or drop it on the terminal, "
                                                      "or type @path in the prompt)"),
    ]

    app = getters.app(MassGenApp)
    grid = getters.query_one(PanelGrid)
    status_bar = getters.query_one("#status-bar", Static)
    # What the Footer's keys depend on: each change lights or dims them (Cancel, Answer, Images).
    phase: var[Phase] = var(Phase.LOADING, init=False, bindings=True)
    has_final: var[bool] = var(False, bindings=True)
    has_images: var[bool] = var(False, bindings=True)

    def __init__(self) -> None:
        super().__init__()
        self.status = RunStatus(Phase.LOADING, "loading the team…")
        self.current_agent: str | None = None
        self._attach_flow: AttachFlow | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"massgen-tui · {self.status.text()}", id="status-bar", markup=False)
        yield Static(id="notice", markup=False)
        yield PanelGrid(id="panels")
        with Horizontal(id="prompt-bar"):
            yield PromptInput(history=self.app.history, id="prompt")

    def on_mount(self) -> None:
        self.show_status(Phase.LOADING, "loading the team…")
        self.call_after_refresh(self._after_first_frame)

    async def _after_first_frame(self) -> None:
        """The Footer (about 50 ms of widgets and styles) joins in the frame after the first; then the team loads."""
        await self.attachment_bar()
        await self.mount(Footer(compact=True))
        self.refresh_bindings()  # a newly mounted Footer draws its keys on the screen's next bindings signal
        self.call_after_refresh(self.app.first_frame_shown)

    # --- attachments ----------------------------------------------------------------------
    @property
    def attach(self) -> "AttachFlow":
        """The attachments of the next task (made on first use: it imports the attachment checks)."""
        if self._attach_flow is None:
            from tui.attach_flow import AttachFlow

            self._attach_flow = AttachFlow(self)
        return self._attach_flow

    async def attachment_bar(self) -> "AttachmentBar":
        """The bar above the prompt, mounted on first use (it takes no room while empty)."""
        from widgets.attachment_bar import AttachmentBar

        found = self.query(AttachmentBar)
        if found:
            return found.first()
        bar = AttachmentBar(id="attachments")
        await self.mount(bar, before=self.query_one("#prompt-bar"))
        return bar

    # --- panels ---------------------------------------------------------------------------
    async def set_team(self, team: "LoadedTeam") -> None:
        """One panel per agent (id, backend, model); the attachment bar told who receives what; the notice."""
        from widgets.agent_panel import AgentPanel

        from massgen.orchestrator.state import anonymous_id
        from tui.attach_flow import agent_specs

        panels = [AgentPanel(aid, backend, model, image_mode=team.image_mode) for aid, backend, model in team.agents]
        for position, panel in enumerate(panels, 1):
            panel.header.set_alias(anonymous_id(position))
        await self.grid.set_panels(panels)
        self.set_notice(team.notice)
        self.show_status(Phase.READY, f"{len(team.agents)} agents · type a task and press Enter")
        await self.attach.set_agents(agent_specs(team))

    def set_notice(self, text: str) -> None:
        notice = self.query_one("#notice", Static)
        notice.update(text)
        notice.tooltip = text or None
        notice.display = bool(text)

    def on_resize(self) -> None:
        """On a short terminal the notice keeps to one line (the panels need the rows; hover shows it all)."""
        self.query_one("#notice").set_class(self.size.height < COMPACT_HEIGHT, "-compact")

    def panel_for(self, agent_id: str) -> AgentPanel | None:
        return self.grid.panel(agent_id)

    @property
    def panels(self) -> list[AgentPanel]:
        return self.grid.panels

    # --- status ---------------------------------------------------------------------------
    def show_status(self, phase: Phase, message: str = "") -> None:
        self.status.phase, self.status.message = phase, message
        self._paint_status()
        self.phase = phase

    def watch_phase(self, phase: Phase) -> None:
        for each in Phase:
            self.status_bar.set_class(each == phase, f"-{each.value}")

    def count_statuses(self) -> None:
        """While running, the bar counts agents per status word."""
        if self.status.phase in (Phase.RUNNING, Phase.CANCELLING):
            self.status.counts = Counter(status_look(p.header.status).label for p in self.panels)
            self._paint_status()

    def _paint_status(self) -> None:
        self.status_bar.update(f"massgen-tui · {self.status.text()}")

    def on_agent_panel_status_changed(self) -> None:
        self.count_statuses()

    # --- routing sink (run-level events) --------------------------------------------------
    async def run_event(self, chunk: BaseStreamChunk) -> None:
        """Chunks from the orchestrator itself, or from a source with no panel."""
        text = text_of(chunk)
        if chunk.type == ChunkType.ERROR:
            self.notify(text or "the team reported an error", severity="error", timeout=8)
            self.status.message = text
            self._paint_status()
        elif chunk.type == ChunkType.AGENT_STATUS and isinstance(chunk, TextStreamChunk):
            self.status.message = " ".join(part for part in (chunk.status, chunk.content) if part)
            self._paint_status()
        elif chunk.type in (ChunkType.ATTACHMENT, ChunkType.ATTACHMENT_COMPLETE):
            from tui.router import attachment_name

            done = "sent" if chunk.type == ChunkType.ATTACHMENT_COMPLETE else "attached"
            self.status.message = f"📎 {attachment_name(chunk)} {done}"
            self._paint_status()
        elif chunk.type in (ChunkType.CONTENT, ChunkType.BACKEND_STATUS) and text:
            self.status.message = " ".join(text.split())[:120]
            self._paint_status()

    async def media_added(self, item: MediaItem) -> None:
        self.post_message(MediaAdded(item))

    # --- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Unavailable actions stay in the Footer, dimmed, so the keys are always discoverable."""
        if action == "cancel":
            return True if self.phase == Phase.RUNNING else None
        if action == "final":
            return True if self.has_final else None
        if action == "images":
            return True if self.has_images else None
        if action in ("maximise", "next_panel"):
            return True if self.panels else None
        return True

    def action_cancel(self) -> None:
        self.app.cancel_run()

    def action_attach(self) -> None:
        from tui.screens.file_picker import FilePicker

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.run_worker(self.attach.add([path]), group="attach")

        self.app.push_screen(FilePicker(self.attach.cwd), chosen)

    def action_final(self) -> None:
        self.app.show_final()

    def action_images(self) -> None:
        self.app.open_viewer(None)

    def current_panel(self) -> AgentPanel | None:
        """The panel holding the focus, else the one last chosen, else the first."""
        from widgets.agent_panel import AgentPanel

        if self.focused is not None:
            for node in self.focused.ancestors_with_self:
                if isinstance(node, AgentPanel) and node in self.panels:
                    return node
        if self.current_agent and (panel := self.panel_for(self.current_agent)):
            return panel
        return self.panels[0] if self.panels else None

    def action_maximise(self) -> None:
        panel = self.current_panel()
        if panel is not None:
            self.toggle_maximise(panel.agent_id)

    def toggle_maximise(self, agent_id: str) -> None:
        self.current_agent = agent_id
        zoomed = self.grid.toggle_maximise(agent_id)
        panel = self.panel_for(agent_id)
        if zoomed and panel is not None:
            panel.log_view.focus()

    def action_next_panel(self) -> None:
        panels = self.panels
        if not panels:
            return
        current = self.current_panel()
        index = (panels.index(current) + 1) % len(panels) if current in panels else 0
        target = panels[index]
        self.current_agent = target.agent_id
        if self.grid.maximised not in (None, target.agent_id):
            self.grid.toggle_maximise(target.agent_id)
        target.log_view.focus()
        self.grid.scroll_to_widget(target, animate=False)

    # --- messages -------------------------------------------------------------------------
    @on(Input.Submitted, "#prompt")
    async def _submitted(self, event: Input.Submitted) -> None:
        await self.submit(event.value, self.query_one(PromptInput))

    async def submit(self, raw: str, prompt: PromptInput) -> bool:
        """A sent prompt: `/edit …`, files only (attached, nothing sent), or a task with the attached files.

        False when nothing started (a file named in it could not be attached: the text stays to be fixed)."""
        from tui.image_edits import is_edit_command

        raw = raw.strip()
        if not raw:
            return False
        if is_edit_command(raw):
            prompt.record(raw)
            self.app.edits.command(raw)
            return True
        before = self.attach.attachments  # the prompt names its own files; history adds these
        text, complete = await self.attach.from_prompt(raw)
        if not complete:
            return False
        if not text:
            prompt.clear()  # it was only file paths: they are in the bar now
            return False
        attachments = self.attach.attachments
        if not self.app.start_run(text, attachments):
            return False
        from tui.attach_flow import history_entry

        prompt.record(history_entry(raw, before))
        await self.attach.clear()
        return True

    def on_attachment_bar_preview(self, event: "AttachmentBar.Preview") -> None:
        self.app.preview(event.attachment)

    def on_attachment_bar_removed(self, event: "AttachmentBar.Removed") -> None:
        if not self.attach.attachments:
            self.query_one(PromptInput).focus()

    def on_agent_header_clicked(self, event: "AgentHeader.Clicked") -> None:
        self.toggle_maximise(event.agent_id)

    def on_media_view_selected(self, event: "MediaView.Selected") -> None:
        self.app.open_viewer(event.item)

    def on_media_link_opened(self, event: "MediaLink.Opened") -> None:
        if event.error:
            self.notify(event.error, severity="error", timeout=8)
        else:
            self.notify(f"Opened {event.link.item.name}")

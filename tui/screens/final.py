"""The final answer in a view of its own: winner, votes, answer and media; a follow-up continues the conversation."""

from __future__ import annotations

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from massgen.media.errors import one_line
from massgen.media.kinds import MediaType
from tui.app import MassGenApp
from widgets.final_answer import FinalAnswer
from widgets.final_result import FinalResult
from widgets.media_link import MediaLink
from widgets.media_view import MediaView
from widgets.prompt_input import PromptInput


class FinalScreen(Screen[None]):
    """Shown when a run ends with an answer (and on Ctrl+F); Esc goes back to the panels."""

    CSS_PATH = "final.tcss"
    AUTO_FOCUS = "#followup"
    BINDINGS = [
        Binding("escape", "back", "Panels", tooltip="Back to the agents' panels"),
        Binding("ctrl+f", "back", "Panels", show=False),
        Binding("ctrl+g", "images", "Images", tooltip="Open the answer's images full screen"),
        Binding("ctrl+y", "copy", "Copy", tooltip="Copy the answer text to the clipboard"),
    ]

    app = getters.app(MassGenApp)

    def __init__(self, result: FinalResult, image_mode: str = "inline", turn: int = 1) -> None:
        super().__init__()
        self.result = result
        self.image_mode = image_mode
        self.turn = turn

    def compose(self) -> ComposeResult:
        task = f" · {one_line(self.result.task, 90)}" if self.result.task else ""
        title = f"Final answer · turn {self.turn}{task}"
        yield Static(title, id="final-title", markup=False)
        yield FinalAnswer(self.result, self.image_mode, id="final")
        with Horizontal(id="prompt-bar"):
            yield PromptInput(history=self.app.history, id="followup",
                              placeholder="Ask a follow-up… (Enter sends, Esc back to the panels)")
        yield Footer(compact=True)

    def action_back(self) -> None:
        self.dismiss()

    def action_images(self) -> None:
        images = [m for m in self.result.media if m.media_type == MediaType.IMAGE]
        if images:
            self.app.open_viewer(images[0])
        else:
            self.notify("This answer has no images.", severity="warning")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.result.answer)
        self.notify("Answer copied to the clipboard.")

    @on(Input.Submitted, "#followup")
    async def _followup(self, event: Input.Submitted) -> None:
        """A follow-up (with any attached files) or `/edit`, as on the main screen; back to the panels if it started."""
        if await self.app.main.submit(event.value, self.query_one(PromptInput)):
            self.dismiss()

    @on(MediaView.Selected)
    def _image(self, event: MediaView.Selected) -> None:
        self.app.open_viewer(event.item)

    @on(MediaLink.Opened)
    def _opened(self, event: MediaLink.Opened) -> None:
        if event.error:
            self.notify(event.error, severity="error", timeout=8)

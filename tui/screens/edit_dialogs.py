"""Two small dialogs for editing an image: what to change, and whether to start again from the image itself."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 76; height: auto; max-width: 90%;
    border: round $accent; background: $surface; padding: 1 2;
}}
{name} .dialog-title {{ text-style: bold; height: auto; }}
{name} .dialog-text {{ height: auto; margin: 1 0; }}
{name} Horizontal {{ height: auto; align-horizontal: right; }}
{name} Button {{ margin-left: 2; }}
"""


class EditInstruction(ModalScreen[str | None]):
    """Asks for the change to make to an image; dismisses with the instruction, or None on Esc."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="EditInstruction")
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Do not edit the image")]

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Edit {self.label}", classes="dialog-title", markup=False)
            yield Static("Describe the change (Enter starts the edit, Esc cancels):", classes="dialog-text",
                         markup=False)
            yield Input(placeholder="e.g. make the sky darker", id="instruction")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if text:
            self.dismiss(text)
        else:
            self.notify("Describe the change first (for example: make it darker).", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)


class RestartOffer(ModalScreen[bool]):
    """The image's edit thread is gone: offer to start again from the image itself (y) or not (n, Esc)."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="RestartOffer")
    BINDINGS = [
        Binding("y", "answer(True)", "Start again", tooltip="Edit the image itself (image-to-image)"),
        Binding("n,escape", "answer(False)", "No", tooltip="Leave the image as it is"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("The edit cannot continue this image's thread", classes="dialog-title", markup=False)
            yield Static(self.message, classes="dialog-text", markup=False)
            yield Static("Start again from the image itself (image-to-image)?  y / n", markup=False)
            with Horizontal():
                yield Button("Start again (y)", variant="primary", id="yes")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

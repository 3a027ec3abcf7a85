"""The help screen: every key of the screen underneath (read from its bindings), the mouse, what is shown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

from tui.commands import key_commands

GUIDE = """
## The screen

Each agent of the team has a **panel**: its id, backend and model, and its status
(waiting, thinking, streaming, answered, voted, failed, winner, done, cancelled).
Text streams in as Markdown; tool calls show as one line (click one for its arguments);
errors show in red where they happened. A panel follows its stream until you scroll up;
scroll back to the bottom and it follows again.

Images appear inline; a bar shows one being generated. Audio, video and documents show as
a labelled line: click it to open the file with your system viewer.

When the team finishes, the **final answer** opens: the winner, the votes and the answer.
Type a follow-up there to continue the conversation.

## Attachments

Drop files on the terminal (it pastes their paths), press Ctrl+L to pick one, or type
`@path` (`@"path with spaces"`) in the prompt. Each file becomes a chip above the prompt that
says, per agent, whether it gets the file as is, fitted (to what size), or not at all and why.
On a chip: Enter previews an image, Delete removes it. The files go with the next task you send.

## Editing an image

Select an image (click it, or Tab to it) and press `e`, or type `/edit <the change>` (it edits
the selected image, else the latest). The edit continues the image's own thread on the backend
that made it; the new version appears below the old one ("v2 of …"), and the viewer steps
through every version with ← →. If the thread has expired, you are offered to start again from
the image itself.

## Mouse

Click a panel's header to maximise it (again to restore) · click an image to view it full
screen · click a tool call to expand it · click a file to open it · wheel scrolls a panel ·
click an attachment chip to preview it, its ✕ to remove it.

## Outputs

Ctrl+S writes the session folder (transcript, answers, final answer, media) and says where.
With `ui.multimodal_display.save_outputs: true` in the config it is written automatically.
"""


def keys_table(screen: Screen) -> str:
    """A Markdown table of the keys active on `screen`."""
    rows = [f"| `{c.key}` | {c.name} | {c.help} |" for c in key_commands(screen)]
    extra = ["| `enter` | Send | Send the prompt to the team |", "| `↑` `↓` | History | Earlier prompts |",
             "| `ctrl+p` | Commands | Search every action by name |"]
    return "\n".join(["| Key | Action | |", "|---|---|---|", *rows, *extra])


class HelpScreen(ModalScreen[None]):
    """Keys first (they are what people look for), then the guide; Esc or F1 closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", tooltip="Close the help"),
        Binding("f1", "close", "Close", show=False),
    ]

    def __init__(self, underneath: Screen) -> None:
        super().__init__()
        self.underneath = underneath

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown("# massgen-tui help\n\n## Keys\n\n" + keys_table(self.underneath) + "\n" + GUIDE)

    def action_close(self) -> None:
        self.dismiss()

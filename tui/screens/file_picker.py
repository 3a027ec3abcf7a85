"""A small file picker: a folder tree to choose a file to attach (Enter), Backspace goes up a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Static


class PickerTree(DirectoryTree):
    """A DirectoryTree without hidden files (they are rarely what one attaches, and clutter the tree)."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if not path.name.startswith(".")]


class FilePicker(ModalScreen[Path | None]):
    """Dismisses with the chosen file, or None on Esc."""

    DEFAULT_CSS = """
    FilePicker { align: center middle; }
    FilePicker > Vertical {
        width: 80%; max-width: 110; height: 80%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    FilePicker .picker-title { height: 1; text-style: bold; }
    FilePicker .picker-hint { height: 1; color: $text-muted; }
    FilePicker PickerTree { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close the picker without attaching"),
        Binding("backspace", "up", "Parent folder", tooltip="Show the folder above this one"),
    ]

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = (start or Path.cwd()).resolve()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title(self.start), classes="picker-title", markup=False)
            yield Static("Enter: attach the file · Backspace: parent folder · Esc: cancel", classes="picker-hint",
                         markup=False)
            yield PickerTree(self.start)

    picker = getters.query_one(PickerTree)  # not `tree`: that is every DOM node's debugging view

    def on_mount(self) -> None:
        self.picker.focus()

    @staticmethod
    def _title(folder: Path) -> str:
        return f"Attach a file · {folder}"

    @on(DirectoryTree.FileSelected)
    def _chosen(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(Path(event.path))

    def action_up(self) -> None:
        tree = self.picker
        current = Path(tree.path).resolve()
        if current.parent != current:
            tree.path = current.parent
            self.query_one(".picker-title", Static).update(self._title(current.parent))

    def action_cancel(self) -> None:
        self.dismiss(None)

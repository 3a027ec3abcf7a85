"""Audio, video and documents (and images when inline display is off): a labelled line that opens the file."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from textual import work
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from massgen.media.item import MediaItem
from massgen.media.words import caption

from .media_files import MediaUnavailable, open_with_system_viewer, viewer_target


def _cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "massgen-tui-media"


class MediaLink(Widget):
    """`♪ audio · speech.mp3 · 1.2 MB · 0:42  [open]`; click or Enter opens it with the system viewer."""

    DEFAULT_CSS = """
    MediaLink {
        height: auto;
        width: 1fr;
        padding: 0 1;
        margin: 0 0 1 0;
        background: $surface;
        border-left: thick $secondary;
    }
    MediaLink:hover, MediaLink:focus { background: $boost; }
    """

    can_focus = True
    BINDINGS = [("enter", "open", "Open file")]

    class Opened(Message):
        """The open attempt finished; `error` is the one-line reason when it failed."""

        def __init__(self, link: "MediaLink", error: str | None) -> None:
            super().__init__()
            self.link = link
            self.error = error

    def __init__(self, item: MediaItem, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.item = item
        self.tooltip = "Click to open with the system viewer"

    def render(self) -> Content:
        item = self.item
        action = "open" if item.path or item.data or item.url else "not downloadable"
        return Content.assemble(caption(item), "  ", (f"[{action}]", "$accent"))

    def on_click(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the file off the loop; the result arrives as an `Opened` message."""
        self._open()

    @work(thread=True, exclusive=True, group="open")
    def _open(self) -> None:
        try:
            target = viewer_target(self.item, _cache_dir())
            if isinstance(target, Path) and self.item.path is None:
                self.item = replace(self.item, path=str(target), data=None)  # written once, opened again from disk
            open_with_system_viewer(target)
        except (MediaUnavailable, OSError) as exc:
            self.post_message(self.Opened(self, str(exc)))
            return
        self.post_message(self.Opened(self, None))

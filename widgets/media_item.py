"""Audio, video and documents (and images when inline display is off): a labelled line that opens the file."""

from __future__ import annotations

from pathlib import Path
import tempfile

from textual import work
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from .media_source import MediaSource, MediaUnavailable, open_with_system_viewer, viewer_target


def _cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "massgen-tui-media"


class MediaItem(Widget):
    """`♪ audio · speech.mp3 · 1.2 MB · 0:42  [open]`; click or Enter opens it with the system viewer."""

    DEFAULT_CSS = """
    MediaItem {
        height: auto;
        width: 1fr;
        padding: 0 1;
        margin: 0 0 1 0;
        background: $surface;
        border-left: thick $secondary;
    }
    MediaItem:hover, MediaItem:focus { background: $boost; }
    """

    can_focus = True
    BINDINGS = [("enter", "open", "Open file")]

    class Opened(Message):
        """The open attempt finished; `error` is the one-line reason when it failed."""

        def __init__(self, item: "MediaItem", error: str | None) -> None:
            super().__init__()
            self.item = item
            self.error = error

    def __init__(self, source: MediaSource, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.source = source
        self.tooltip = "Click to open with the system viewer"

    def render(self) -> Content:
        action = "open" if self.source.path or self.source.data or self.source.url else "not downloadable"
        return Content.assemble(self.source.describe(), "  ", (f"[{action}]", "$accent"))

    def on_click(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the file off the loop; the result arrives as an `Opened` message."""
        self._open()

    @work(thread=True, exclusive=True, group="open")
    def _open(self) -> None:
        try:
            open_with_system_viewer(viewer_target(self.source, _cache_dir()))
        except (MediaUnavailable, OSError) as exc:
            self.post_message(self.Opened(self, str(exc)))
            return
        self.post_message(self.Opened(self, None))

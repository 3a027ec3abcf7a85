"""An image in a panel: a caption and a picture sized to the panel, decoded in a thread worker."""

from __future__ import annotations

from PIL import Image as PILImage
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from massgen.media.item import MediaItem
from massgen.media.words import caption

from .image_renderer import fit_cells, image_widget_class, thumbnail_px
from .media_files import MediaUnavailable, load_thumbnail, original_size

INLINE_ROWS = 16
THUMBNAIL_ROWS = 6


class MediaView(Vertical, can_focus=True):
    """One image: decoded once into a thumbnail off the loop, drawn by the chosen textual-image widget.

    Focused (a click or Tab) it is the selected image: Enter opens the viewer, `e` asks for an edit."""

    BINDINGS = [
        Binding("enter", "open", "Open", tooltip="Open the image full screen"),
        Binding("e", "edit", "Edit image", tooltip="Describe a change; the new version appears below"),
    ]

    DEFAULT_CSS = """
    MediaView {
        height: auto;
        width: 1fr;
        margin: 0 0 1 0;
    }
    MediaView > .caption { color: $text-muted; height: auto; }
    MediaView:hover > .caption { color: $text; text-style: underline; }
    MediaView:focus > .caption { color: $text-accent; text-style: bold; }
    MediaView > .picture-row { height: auto; width: 1fr; }
    MediaView > .error { color: $text-error; height: auto; }
    """

    class Selected(Message):
        """The user clicked the image: open it in the viewer."""

        def __init__(self, item: MediaItem) -> None:
            super().__init__()
            self.item = item

    class EditRequested(Message):
        """The user pressed the edit key on this image."""

        def __init__(self, item: MediaItem) -> None:
            super().__init__()
            self.item = item

    class Focused(Message):
        """This image became the selected one (what `/edit` applies to)."""

        def __init__(self, item: MediaItem) -> None:
            super().__init__()
            self.item = item

    class Shown(Message):
        """The picture is on screen (or could not be); `error` says why not."""

        def __init__(self, view: "MediaView", error: str | None = None) -> None:
            super().__init__()
            self.view = view
            self.error = error

    def __init__(self, item: MediaItem, max_rows: int = INLINE_ROWS, *, thumbnail: PILImage.Image | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.item = item
        self.max_rows = max_rows
        self.thumbnail = thumbnail
        self.picture: Widget | None = None
        self.error: str | None = None
        self.tooltip = "Click to open in the image viewer · e: edit"

    def compose(self) -> ComposeResult:
        yield Static(caption(self.item), classes="caption", markup=False)
        yield Horizontal(classes="picture-row")

    def on_mount(self) -> None:
        if self.thumbnail is not None:
            self._show(self.thumbnail)
        else:
            self._decode()

    @work(thread=True, exclusive=True, group="decode")
    def _decode(self) -> None:
        """Decode and shrink in a thread; hand the small picture back to the loop."""
        try:
            thumb = load_thumbnail(self.item, thumbnail_px())
        except MediaUnavailable as exc:
            self.app.call_from_thread(self._fail, str(exc))
            return
        self.app.call_from_thread(self._show, thumb)

    def _fail(self, message: str) -> None:
        self.error = message
        if not self.is_attached:
            return  # removed while decoding (its screen was closed)
        self.mount(Static(f"✗ {message}", classes="error", markup=False))
        self.post_message(self.Shown(self, message))

    def _show(self, thumb: PILImage.Image) -> None:
        self.thumbnail = thumb
        if not self.is_attached or not self.app.is_running:
            return  # removed while decoding (its screen was closed, or the app is closing)
        picture = image_widget_class()(thumb, classes="picture")
        self.picture = picture
        self._fit()
        self.query_one(".picture-row").mount(picture)
        self.post_message(self.Shown(self))

    def _fit(self) -> None:
        if self.picture is None or self.thumbnail is None:
            return
        width = self.content_size.width or (self.parent.content_size.width if isinstance(self.parent, Widget) else 40)
        cols, rows = fit_cells(*original_size(self.thumbnail), max(1, width), self.max_rows)
        self.picture.styles.width = cols
        self.picture.styles.height = rows

    def on_resize(self) -> None:
        self._fit()

    def on_click(self) -> None:
        self.post_message(self.Selected(self.item))

    def on_focus(self) -> None:
        self.post_message(self.Focused(self.item))

    def action_open(self) -> None:
        self.post_message(self.Selected(self.item))

    def action_edit(self) -> None:
        self.post_message(self.EditRequested(self.item))

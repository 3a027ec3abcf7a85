"""A media item being generated: a progress bar, and the latest partial image when the provider sends one."""

from __future__ import annotations

from typing import Any

from PIL import Image as PILImage
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import ProgressBar, Static

from massgen.media.item import MediaItem

from .image_renderer import fit_cells, image_widget_class, thumbnail_px
from .media_files import MediaUnavailable, load_thumbnail, original_size
from .media_view import INLINE_ROWS


class MediaProgress(Vertical):
    """Progress of one `media_id`; the panel swaps it for the finished media when the MEDIA chunk comes."""

    DEFAULT_CSS = """
    MediaProgress {
        height: auto;
        width: 1fr;
        margin: 0 0 1 0;
        padding: 0 1;
        background: $boost;
    }
    MediaProgress > .label { color: $text-muted; height: 1; }
    MediaProgress > ProgressBar { width: 1fr; height: 1; }
    MediaProgress > ProgressBar Bar { width: 1fr; }
    MediaProgress > .partial-row { height: auto; }
    """

    def __init__(self, media_id: str, media_type: str = "image", label: str = "", *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.media_id = media_id
        self.media_type = media_type
        self.text = label or f"generating {media_type}"
        self.percent = 0.0
        self.partial: PILImage.Image | None = None
        self.partials_seen = 0

    def compose(self) -> ComposeResult:
        yield Static(self._label_text(), classes="label", markup=False)
        bar = ProgressBar(total=100, show_eta=False, show_percentage=True)
        bar.progress = self.percent
        yield bar
        yield Horizontal(classes="partial-row")

    def _label_text(self) -> str:
        partial = f" · partial {self.partials_seen}" if self.partials_seen else ""
        return f"◑ {self.text}{partial}"

    def set_progress(self, percent: float | None, text: str | None = None) -> None:
        """Move the bar (progress never goes backwards on screen) and update the label."""
        if percent is not None:
            self.percent = max(self.percent, min(100.0, float(percent)))
        if text:
            self.text = text
        for bar in self.query(ProgressBar):  # composed yet?
            bar.update(progress=self.percent)
        for label in self.query(".label").results(Static):
            label.update(self._label_text())

    def on_resize(self) -> None:
        self.call_after_refresh(self._requantise)

    def _requantise(self) -> None:
        """The bar rounds its fill to its width when the value is set; set it again once the width is known."""
        for bar in self.query(ProgressBar):  # none if this was replaced by its media meanwhile
            for inner in bar.query("#bar"):
                inner.percentage = bar.percentage  # type: ignore[attr-defined]

    def show_partial(self, partial: MediaItem) -> None:
        """Decode a partial image off the loop; only the latest one is kept."""
        self.partials_seen += 1
        self._decode_partial(partial)

    @work(thread=True, exclusive=True, group="partial")
    def _decode_partial(self, partial: MediaItem) -> None:
        try:
            thumb = load_thumbnail(partial, thumbnail_px())
        except MediaUnavailable:
            return  # a partial frame that does not decode is skipped; the final image still comes
        self.app.call_from_thread(self._set_partial, thumb)

    def _set_partial(self, thumb: PILImage.Image) -> None:
        self.partial = thumb
        if not self.is_attached:
            return  # the finished media replaced this bar while the partial was decoding
        row = self.query_one(".partial-row")
        width = max(1, self.content_size.width or 40)
        cols, rows = fit_cells(*original_size(thumb), width, INLINE_ROWS)
        picture: Any  # a textual-image widget, whose `image` can be swapped
        if row.children:
            picture = row.children[0]
            picture.image = thumb
        else:
            picture = image_widget_class()(thumb, classes="partial")
            row.mount(picture)
        picture.styles.width = cols
        picture.styles.height = rows
        self.query_one(".label", Static).update(self._label_text())

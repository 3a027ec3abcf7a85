"""An image full screen: step through its versions (or all images), save it, open it outside."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from PIL import Image as PILImage
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static

from widgets.image_renderer import cell_pixels, fit_cells, image_widget_class, is_cell_renderer
from widgets.media_source import (
    MediaSource,
    MediaUnavailable,
    load_thumbnail,
    open_with_system_viewer,
    original_size,
    viewer_target,
)

if TYPE_CHECKING:
    from tui.session_keeper import SessionKeeper

MAX_VIEW_PX = 2048


def view_pixels(cols: int, rows: int) -> int:
    """Longest side worth decoding for a full-screen picture: a pixel per half cell, or the screen's pixels."""
    if is_cell_renderer():
        return max(cols, rows * 2)
    cell_w, cell_h = cell_pixels()
    return min(MAX_VIEW_PX, max(cols * cell_w, rows * cell_h))


def versions_of(source: MediaSource, images: list[MediaSource]) -> tuple[list[MediaSource], str]:
    """The images sharing `source`'s lineage (continuation id or media id); all images if it has no others."""
    family = [m for m in images if m.version_key == source.version_key]
    if len(family) > 1:
        return family, "version"
    return (images if source in images else [source, *images]), "image"


class ViewerScreen(Screen):
    """One image as large as the terminal allows; the picture is decoded in a thread at screen resolution."""

    CSS_PATH = "viewer.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="Close the viewer"),
        Binding("left", "step(-1)", "Previous", tooltip="The previous version"),
        Binding("right", "step(1)", "Next", tooltip="The next version"),
        Binding("ctrl+s", "save_image", "Save image", tooltip="Save this image into the session folder"),
        Binding("ctrl+e", "open_outside", "Open outside", tooltip="Open with the system image viewer"),
    ]

    def __init__(self, source: MediaSource, images: list[MediaSource], keeper: "SessionKeeper | None" = None) -> None:
        super().__init__()
        self.items, self.noun = versions_of(source, images)
        self.index = self.items.index(source)
        self.keeper = keeper
        self.picture: Any = None
        self.image: PILImage.Image | None = None

    @property
    def source(self) -> MediaSource:
        return self.items[self.index]

    def compose(self) -> ComposeResult:
        yield Static(id="viewer-title", markup=False)
        with Middle(id="viewer-box"):
            with Center():
                yield Static("decoding…", id="viewer-wait", markup=False)
        yield Static(id="viewer-caption", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._show_current()

    def _show_current(self) -> None:
        source = self.source
        where = f"{self.noun} {self.index + 1} of {len(self.items)}"
        self.query_one("#viewer-title", Static).update(f"{source.label} · {where} · from {source.agent_id or '?'}")
        prompt = source.metadata.prompt if source.metadata and source.metadata.prompt else ""
        self.query_one("#viewer-caption", Static).update(source.describe() + (f"\nprompt: {prompt}" if prompt else ""))
        self._decode(source)

    @work(thread=True, exclusive=True, group="viewer")
    def _decode(self, source: MediaSource) -> None:
        max_px = view_pixels(self.app.size.width, self.app.size.height)
        try:
            image = load_thumbnail(source, max_px)
        except MediaUnavailable as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._set_image, source, image)

    def _failed(self, message: str) -> None:
        self.query_one("#viewer-wait", Static).update(f"✗ {message}")

    def _set_image(self, source: MediaSource, image: PILImage.Image) -> None:
        if source is not self.source:
            return  # the user stepped on while this one was decoding
        self.image = image
        wait = self.query_one("#viewer-wait", Static)
        wait.display = False
        if self.picture is None:
            self.picture = image_widget_class()(image, id="viewer-picture")
            self.query_one(Center).mount(self.picture)
        else:
            self.picture.image = image
        self._fit()

    def _fit(self) -> None:
        if self.picture is None or self.image is None:
            return
        box = self.query_one("#viewer-box").size
        cols, rows = fit_cells(*original_size(self.image), max(1, box.width), max(1, box.height))
        self.picture.styles.width, self.picture.styles.height = cols, rows

    def on_resize(self) -> None:
        self._fit()

    def action_close(self) -> None:
        self.dismiss()

    def action_step(self, delta: int) -> None:
        if len(self.items) > 1:
            self.index = (self.index + delta) % len(self.items)
            self._show_current()

    async def action_save_image(self) -> None:
        """Into the session folder's media (creating the session if needed); says where."""
        if self.keeper is None:
            self.notify("Saving is not available here.", severity="warning")
            return
        try:
            path = await self.keeper.save_media(self.source)
        except (MediaUnavailable, ValueError, OSError) as exc:
            self.notify(f"Could not save: {exc}", severity="error", timeout=8)
            return
        self.notify(f"Saved to {path}", title="Image saved", timeout=8)

    async def action_open_outside(self) -> None:
        folder = self.keeper.cache_dir if self.keeper else None
        try:
            target = await asyncio.to_thread(viewer_target, self.source, folder) if folder else self.source.path
            if target is None:
                raise MediaUnavailable(f"{self.source.label}: not on disk")
            await asyncio.to_thread(open_with_system_viewer, target)
        except (MediaUnavailable, OSError) as exc:
            self.notify(str(exc), severity="error", timeout=8)

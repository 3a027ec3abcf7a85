"""An image full screen: step through its versions (or all images), save it, open it outside."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image as PILImage
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static

from massgen.media import MediaItem, caption, version_label
from tui.app import MassGenApp
from widgets.image_renderer import cell_pixels, fit_cells, image_widget_class, is_cell_renderer
from widgets.media_files import MediaUnavailable, load_thumbnail, open_with_system_viewer, original_size, viewer_target
from widgets.media_view import MediaView

if TYPE_CHECKING:
    from tui.session_keeper import SessionKeeper

MAX_VIEW_PX = 2048


def view_pixels(cols: int, rows: int) -> int:
    """Longest side worth decoding for a full-screen picture: a pixel per half cell, or the screen's pixels."""
    if is_cell_renderer():
        return max(cols, rows * 2)
    cell_w, cell_h = cell_pixels()
    return min(MAX_VIEW_PX, max(cols * cell_w, rows * cell_h))


def versions_of(item: MediaItem, images: list[MediaItem],
                keeper: "SessionKeeper | None" = None) -> tuple[list[MediaItem], str]:
    """The versions of `item` (the session's lineage of its file, else the same continuation or media id);
    all images if it has no others. Versions the app has not shown come from the session's index."""
    indexed = _session_versions(item, keeper)
    if len(indexed) > 1:
        family = [_shown(version, images, item) for version in indexed]
        return (family if item in family else [*family, item]), "version"
    family = [m for m in images if _thread_of(m) == _thread_of(item)]
    if len(family) > 1:
        return family, "version"
    return (images if item in images else [item, *images]), "image"


def _thread_of(item: MediaItem) -> str:
    """What ties versions made outside the session together: the edit thread, else the media id, else the name."""
    return item.continuation_id or item.media_id or item.name


def _session_versions(item: MediaItem, keeper: "SessionKeeper | None") -> list[MediaItem]:
    """The session's items of every version of the image (none when the session holds nothing yet)."""
    if keeper is None or keeper.session is None or not keeper.has_content:
        return []
    key = item.path or item.media_id
    return keeper.session.versions_of(key) if key else []


def _shown(version: MediaItem, images: list[MediaItem], chosen: MediaItem) -> MediaItem:
    """The item the app already shows for a version's file, else the session's own."""
    for shown in (chosen, *images):
        if shown.path is not None and version.path is not None and _same_file(Path(shown.path), Path(version.path)):
            return shown
    return version


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


class ViewerScreen(Screen[None]):
    """One image as large as the terminal allows; the picture is decoded in a thread at screen resolution."""

    CSS_PATH = "viewer.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="Close the viewer"),
        Binding("left", "step(-1)", "Previous", tooltip="The previous version"),
        Binding("right", "step(1)", "Next", tooltip="The next version"),
        Binding("e", "edit", "Edit", tooltip="Describe a change; the new version appears here and in the panel"),
        Binding("ctrl+s", "save_image", "Save image", tooltip="Save this image into the session folder"),
        Binding("ctrl+e", "open_outside", "Open outside", tooltip="Open with the system image viewer"),
    ]

    app = getters.app(MassGenApp)

    def __init__(self, item: MediaItem, images: list[MediaItem], keeper: "SessionKeeper | None" = None, *,
                 selects: bool = True) -> None:
        super().__init__()
        self.selects = selects  # False for a preview (an attachment): `/edit` keeps aiming at the team's images
        self.keeper = keeper
        self.items, self.noun = versions_of(item, images, keeper)
        self.index = self.items.index(item)
        self.picture: Any = None
        self.image: PILImage.Image | None = None

    @property
    def item(self) -> MediaItem:
        return self.items[self.index]

    def add_version(self, new: MediaItem, images: list[MediaItem]) -> None:
        """A new version was made (an edit): step through its lineage (among the app's `images`) and show it."""
        self.items, self.noun = versions_of(new, images, self.keeper)
        self.index = self.items.index(new)
        self._show_current()

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
        item = self.item
        where = f"{self.noun} {self.index + 1} of {len(self.items)}"
        name = version_label(item) or item.name
        self.query_one("#viewer-title", Static).update(f"{name} · {where} · from {item.agent or '?'}")
        prompt = item.edit or item.prompt
        self.query_one("#viewer-caption", Static).update(caption(item) + (f"\nprompt: {prompt}" if prompt else ""))
        if self.selects:
            self.post_message(MediaView.Focused(item))  # what `/edit` applies to after the viewer closes
        self._decode(item)

    @work(thread=True, exclusive=True, group="viewer")
    def _decode(self, item: MediaItem) -> None:
        max_px = view_pixels(self.app.size.width, self.app.size.height)
        try:
            image = load_thumbnail(item, max_px)
        except MediaUnavailable as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._set_image, item, image)

    def _failed(self, message: str) -> None:
        self.query_one("#viewer-wait", Static).update(f"✗ {message}")

    def _set_image(self, item: MediaItem, image: PILImage.Image) -> None:
        if item is not self.item:
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

    def action_edit(self) -> None:
        self.post_message(MediaView.EditRequested(self.item))

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
            path = await self.keeper.save_media(self.item)
        except (MediaUnavailable, ValueError, OSError) as exc:
            self.notify(f"Could not save: {exc}", severity="error", timeout=8)
            return
        self.notify(f"Saved to {path}", title="Image saved", timeout=8)

    async def action_open_outside(self) -> None:
        folder = self.keeper.cache_dir if self.keeper else None
        try:
            target = await asyncio.to_thread(viewer_target, self.item, folder) if folder else self.item.path
            if target is None:
                raise MediaUnavailable(f"{self.item.name}: not on disk")
            await asyncio.to_thread(open_with_system_viewer, target)
        except (MediaUnavailable, OSError) as exc:
            self.notify(str(exc), severity="error", timeout=8)

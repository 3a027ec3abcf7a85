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

from massgen.session import MediaRecord
from massgen.stream_chunk import MediaMetadata
from tui.app import MassGenApp
from widgets.image_renderer import cell_pixels, fit_cells, image_widget_class, is_cell_renderer
from widgets.media_source import (
    MediaSource,
    MediaUnavailable,
    load_thumbnail,
    open_with_system_viewer,
    original_size,
    version_label,
    viewer_target,
)
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


def versions_of(source: MediaSource, images: list[MediaSource],
                keeper: "SessionKeeper | None" = None) -> tuple[list[MediaSource], str]:
    """The versions of `source` (the session's lineage of its file, else the same continuation or media id);
    all images if it has no others. Versions the app has not shown are made from the session's records."""
    records = _session_versions(source, keeper)
    if len(records) > 1:
        family = [_shown(record, images, source) for record in records]
        return (family if source in family else [*family, source]), "version"
    family = [m for m in images if m.version_key == source.version_key]
    if len(family) > 1:
        return family, "version"
    return (images if source in images else [source, *images]), "image"


def _session_versions(source: MediaSource, keeper: "SessionKeeper | None") -> list[MediaRecord]:
    """The session's records of every version of the image (none when the session holds nothing yet)."""
    if keeper is None or keeper.session is None or not keeper.has_content:
        return []
    key = str(source.path) if source.path is not None else source.media_id
    return keeper.session.versions_of(key) if key else []


def _shown(record: MediaRecord, images: list[MediaSource], chosen: MediaSource) -> MediaSource:
    """The MediaSource the app already has for a record's file, else one made from the record."""
    for source in (chosen, *images):
        if source.path is not None and _same_file(source.path, record.path):
            return source
    root = Path(record.lineage).name
    meta = MediaMetadata(mime_type=record.mime_type or "image/png", size_bytes=record.size_bytes, width=record.width,
                         height=record.height, continuation_id=record.continuation_id, generator=record.generator,
                         prompt=record.edit or record.prompt)
    return MediaSource("image", media_id=record.media_id, agent_id=record.agent, path=record.path, metadata=meta,
                       version_key=record.lineage, version_label=version_label(record.version, root))


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

    def __init__(self, source: MediaSource, images: list[MediaSource], keeper: "SessionKeeper | None" = None, *,
                 selects: bool = True) -> None:
        super().__init__()
        self.selects = selects  # False for a preview (an attachment): `/edit` keeps aiming at the team's images
        self.keeper = keeper
        self.items, self.noun = versions_of(source, images, keeper)
        self.index = self.items.index(source)
        self.picture: Any = None
        self.image: PILImage.Image | None = None

    @property
    def source(self) -> MediaSource:
        return self.items[self.index]

    def add_version(self, new: MediaSource, images: list[MediaSource]) -> None:
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
        source = self.source
        where = f"{self.noun} {self.index + 1} of {len(self.items)}"
        name = source.version_label or source.label
        self.query_one("#viewer-title", Static).update(f"{name} · {where} · from {source.agent_id or '?'}")
        prompt = source.metadata.prompt if source.metadata and source.metadata.prompt else ""
        self.query_one("#viewer-caption", Static).update(source.describe() + (f"\nprompt: {prompt}" if prompt else ""))
        if self.selects:
            self.post_message(MediaView.Focused(source))  # what `/edit` applies to after the viewer closes
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

    def action_edit(self) -> None:
        self.post_message(MediaView.EditRequested(self.source))

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

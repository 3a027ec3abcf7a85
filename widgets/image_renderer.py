"""Which textual-image widget draws pictures, and how big a thumbnail it needs.

Importing this module imports textual_image.widget, which probes the terminal (Kitty, Sixel, half-cell,
Unicode): that must happen before the app runs, so the app imports widgets before `App.run()`.
`MASSGEN_TUI_IMAGE_RENDERER=halfcell` (or `set_image_renderer`) forces a renderer, as the tests do.
"""

from __future__ import annotations

import os

from textual_image import _terminal

from .terminal_probe import probe

probe()  # normally already done by the CLI, in a thread, while Textual was importing

from textual_image import renderable as _auto_renderable  # noqa: E402  (after the probe)
from textual_image.renderable.halfcell import Image as _HalfcellRenderable
from textual_image.renderable.unicode import Image as _UnicodeRenderable
from textual_image.widget import HalfcellImage, SixelImage, TGPImage, UnicodeImage
from textual_image.widget import Image as AutoImage


RENDERERS: dict[str, type] = {
    "auto": AutoImage,
    "tgp": TGPImage,
    "kitty": TGPImage,
    "sixel": SixelImage,
    "halfcell": HalfcellImage,
    "unicode": UnicodeImage,
}

_ENV = "MASSGEN_TUI_IMAGE_RENDERER"
_chosen: str | None = None


class UnknownRenderer(ValueError):
    """A renderer name that textual-image does not have."""


def set_image_renderer(name: str | None) -> None:
    """Force a renderer by name (None: back to the environment or auto-detection)."""
    global _chosen
    if name is not None and name.lower() not in RENDERERS:
        raise UnknownRenderer(f"image renderer {name!r} is not one of: {', '.join(RENDERERS)}")
    _chosen = name.lower() if name else None


def renderer_name() -> str:
    """The renderer in use: forced, from the environment, or `auto`."""
    name = _chosen or os.environ.get(_ENV, "auto").strip().lower() or "auto"
    if name not in RENDERERS:
        raise UnknownRenderer(f"{_ENV}={name!r} is not one of: {', '.join(RENDERERS)}")
    return name


def image_widget_class() -> type:
    """The textual-image widget class to build pictures with."""
    return RENDERERS[renderer_name()]


def is_cell_renderer() -> bool:
    """Whether pictures are drawn with characters (few pixels needed) rather than real pixels."""
    name = renderer_name()
    if name == "auto":
        return _auto_renderable.Image in (_HalfcellRenderable, _UnicodeRenderable)
    return name in ("halfcell", "unicode")


def thumbnail_px() -> int:
    """Longest side a panel thumbnail needs: a few hundred pixels for cells, more for real pixels."""
    return 256 if is_cell_renderer() else 768


def cell_pixels() -> tuple[int, int]:
    """Pixel size of one terminal cell (width, height), as textual-image measured it."""
    size = _terminal.get_cell_size()
    return max(1, size.width), max(1, size.height)


def fit_cells(pixel_w: int, pixel_h: int, max_cols: int, max_rows: int,
              cell: tuple[int, int] | None = None) -> tuple[int, int]:
    """Cells (cols, rows) that show a pixel_w×pixel_h picture as large as fits, keeping its shape."""
    if pixel_w <= 0 or pixel_h <= 0 or max_cols <= 0 or max_rows <= 0:
        return 0, 0
    cell_w, cell_h = cell or cell_pixels()
    native_cols = max(1, round(pixel_w / cell_w))
    cols = min(max_cols, native_cols)
    rows = max(1, round(cols * cell_w * pixel_h / (pixel_w * cell_h)))
    if rows > max_rows:
        rows = max_rows
        cols = max(1, min(cols, round(rows * cell_h * pixel_w / (pixel_h * cell_w))))
    return cols, rows

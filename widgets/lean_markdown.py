"""Textual's Markdown with lists built from fewer widgets, for the panels' streamed text.

Textual lays out every displayed widget of the screen on each layout, and Markdown makes four widgets
per list item (a row, the bullet, a column, the paragraph): lists were 40% of what eight streaming panels
laid out per frame. A single-paragraph item (the usual kind) is one widget here, cell for cell the same
on screen (tests/test_tui_render_cost.py); an item holding more (a nested list) is built as Textual does.
"""

from __future__ import annotations

from typing import Iterator

from rich.segment import Segment
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets._markdown import (MarkdownBlock, MarkdownBullet, MarkdownBulletList, MarkdownListItem,
                                       MarkdownOrderedList, MarkdownOrderedListItem, MarkdownParagraph)


class BulletParagraph(MarkdownParagraph):
    """A list item of one paragraph as one widget: the bullet is drawn in the paragraph's left padding,
    in the style Textual's MarkdownBullet has, so the item wraps and looks as Textual's row of widgets."""

    COMPONENT_CLASSES = {"bullet-paragraph--bullet"}
    DEFAULT_CSS = """
    BulletParagraph > .bullet-paragraph--bullet { color: $text-primary; }
    BulletParagraph:light > .bullet-paragraph--bullet { color: $text-secondary; }
    """

    def __init__(self, symbol: str, paragraph: MarkdownParagraph) -> None:
        super().__init__(paragraph._markdown, paragraph._token, paragraph.source_range)
        self.symbol = symbol
        self._bullet_width = Content(symbol).cell_length
        self.styles.padding = (0, 0, 0, self._bullet_width)
        self._inline_token = paragraph._inline_token
        self.set_content(paragraph._content)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The paragraph as Textual draws it (cached), with the bullet over the padding of its first line."""
        strips = super().render_lines(crop)
        width = self._bullet_width
        if crop.y == 0 and strips and crop.x < width:
            style = self.get_visual_style("bullet-paragraph--bullet").rich_style
            bullet = Strip([Segment(self.symbol, style)], width).crop(crop.x, min(width, crop.right))
            strips[0] = Strip.join([bullet, strips[0].crop(min(width, crop.right) - crop.x, crop.width)])
        return strips


def _item_row(bullet_symbol: str, item: MarkdownListItem) -> Widget:
    """One list item: one widget if it is one paragraph, else the bullet and a column of its blocks."""
    blocks = list(item._blocks)
    if len(blocks) == 1 and type(blocks[0]) is MarkdownParagraph:
        return BulletParagraph(bullet_symbol, blocks[0])
    bullet = MarkdownBullet()
    bullet.symbol = bullet_symbol
    return Horizontal(bullet, Vertical(*blocks))


def _ordered_symbols(blocks: list[MarkdownBlock]) -> Iterator[str]:
    """The numbers of an ordered list, right-aligned as Textual's MarkdownOrderedList does."""
    start = 1
    if blocks and isinstance(blocks[0], MarkdownOrderedListItem):
        try:
            start = int(blocks[0].bullet)
        except ValueError:
            pass
    items = sum(isinstance(block, MarkdownListItem) for block in blocks)
    size = max((len(f"{number}. ") for number in range(start, start + items)), default=0)
    for number in range(start, start + items):
        yield f"{number}. ".rjust(size + 1)


class LeanBulletList(MarkdownBulletList):
    """A bullet list whose single-paragraph items are one widget, not four."""

    def compose(self) -> ComposeResult:
        for block in self._blocks:
            if isinstance(block, MarkdownListItem):
                yield _item_row(block.bullet, block)
        self._blocks.clear()


class LeanOrderedList(MarkdownOrderedList):
    """An ordered list whose single-paragraph items are one widget, not four."""

    def compose(self) -> ComposeResult:
        items = [block for block in self._blocks if isinstance(block, MarkdownListItem)]
        for symbol, item in zip(_ordered_symbols(self._blocks), items):
            yield _item_row(symbol, item)
        self._blocks.clear()


LEAN_BLOCKS = {**Markdown.BLOCKS, "bullet_list_open": LeanBulletList, "ordered_list_open": LeanOrderedList}


def lean_markdown(classes: str = "") -> Markdown:
    """A plain Markdown widget that builds its lists with the classes above (Markdown reads `self.BLOCKS`)."""
    markdown = Markdown(classes=classes)
    markdown.BLOCKS = LEAN_BLOCKS
    return markdown

"""What a frame costs: streamed lists are built from fewer widgets with the same look, and the history
laid out while following is only what is on screen (plus a margin), never changing what is shown."""

from __future__ import annotations

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.widgets import Markdown, Static

from widgets.agent_panel import AgentPanel
from widgets.lean_markdown import lean_markdown
from widgets.panel_log import FOLD_MARGIN, NOTES

LISTS = """Intro paragraph.

- a short item
- a much longer item whose words wrap onto a second line and then onto a third line as well, surely
- an item with a nested list
  - nested one
  - nested two

3. third, as the list starts at three
4. fourth, with `code` and **bold**
5. fifth

1. one
2. two
3. three
4. four
5. five
6. six
7. seven
8. eight
9. nine
10. ten, the numbers are right-aligned

After the lists.
"""


class OneMarkdown(App[None]):
    """A single Markdown widget, 40 columns wide (so that items wrap)."""

    CSS = "Markdown { width: 40; }"

    def __init__(self, markdown: Markdown) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield self.markdown


Cell = tuple[str, object, object, object, object, object, object]


def _cells(segments: list[Segment]) -> list[Cell]:
    """What a terminal shows of each cell: the character, its background, and its colour and attributes
    (the colour of a blank cell is not seen, so it is left out)."""
    cells = []
    for segment in segments:
        style = segment.style
        assert style is not None
        for char in segment.text:
            cells.append((char, style.bgcolor, style.color if char != " " else None, style.bold, style.italic,
                          style.underline, style.reverse))
    return cells


async def _screen_of(markdown: Markdown) -> tuple[list[list[Cell]], int]:
    """The screen's cells, line by line, and how many widgets the text made."""
    app = OneMarkdown(markdown)
    async with app.run_test(size=(60, 50)) as pilot:
        await markdown.append(LISTS)
        await pilot.pause(0.1)
        lines = [_cells(list(strip)) for strip in app.screen._compositor.render_strips()]
        return lines, len(list(markdown.walk_children()))


async def test_lean_lists_look_exactly_like_textuals_with_fewer_widgets():
    plain, plain_widgets = await _screen_of(Markdown())
    lean, lean_widgets = await _screen_of(lean_markdown())
    assert "".join(cell[0] for line in plain for cell in line).count("ten, the numbers") == 1
    assert lean == plain  # every cell
    single_paragraph_items = 2 + 3 + 10 + 2  # the item with a nested list keeps its column
    assert plain_widgets - lean_widgets == 3 * single_paragraph_items  # four widgets each, now one


class OnePanel(App[None]):
    """One agent panel."""

    def compose(self) -> ComposeResult:
        yield AgentPanel("one")


def _laid_out(log: object) -> list[Static]:
    return [child for child in log.children if child.display and not NOTES & child.classes]  # type: ignore[attr-defined]


def _view_text(app: App[None], log: object) -> list[str]:
    """The text of the log's rows on screen."""
    region = log.content_region  # type: ignore[attr-defined]
    strips = app.screen._compositor.render_strips()
    return [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]


async def test_folding_keeps_only_what_is_on_screen_and_the_screen_unchanged():
    app = OnePanel()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(AgentPanel)
        log = panel.log_view
        log.folding = False
        for n in range(30):
            panel.add_note(f"note {n}\nsecond line of note {n}")  # three lines each, with its margin
        await panel.end_text()
        await pilot.pause(0.3)
        assert log.following and len(_laid_out(log)) == 30
        before = _view_text(app, log)
        log.folding = True  # as a run starts: folded at once, not on the panel's next turn
        await pilot.pause(0.3)
        kept = _laid_out(log)
        height = log.scrollable_content_region.height
        assert log.following and _view_text(app, log) == before
        assert len(kept) * 3 < height + FOLD_MARGIN + 3 + 3  # the screen, the margin, at most a block more
        assert str(kept[-1].render()).startswith("note 29") and str(kept[0].render()).startswith(f"note {30 - len(kept)}")
        above = kept[0].region.y - log.content_region.y  # the oldest block laid out starts above the screen
        assert above < 0

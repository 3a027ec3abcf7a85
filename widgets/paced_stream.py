"""What a panel will put on screen at its next turns, in stream order: text, other blocks, statuses.

Chunks only queue work here (O(1) each). On the panel's turn (see frame_pacer) the queue is worked
off in order: a text block is mounted, then fed at most `MAX_APPEND` characters and about
`MAX_WIDGETS` new widgets per turn, cut after a block; other blocks are mounted, a few per turn. `Markdown.append` re-parses only from the start
of the last block and mounts only new blocks, so finished paragraphs are not laid out again; a
bounded append keeps each turn short even after a burst.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from textual.widget import Widget

from .lean_markdown import lean_markdown

MAX_APPEND = 4500
MAX_WIDGETS = 20  # about how many widgets one turn may add: each one is laid out and painted in the next frame
MOUNTS_PER_TURN = 8
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s")


def widget_cost(line: str) -> int:
    """About how many widgets Textual's Markdown makes for one line: a list item is four, a table row one a cell."""
    if not line.strip():
        return 0
    if _LIST_ITEM.match(line):
        return 4
    if line.lstrip().startswith("|"):
        return max(1, line.count("|") - 1)
    return 1


def _cost_end(text: str, budget: int) -> int:
    """Where the lines of `text` that fit in a widget budget end (len(text) if all of them do)."""
    end = -1
    while budget > 0:
        start, end = end + 1, text.find("\n", end + 1)
        if end < 0:
            return len(text)
        budget -= widget_cost(text[start:end])
    return end + 1


def widgets_in(text: str) -> int:
    """About how many widgets `text` makes (see widget_cost)."""
    return sum(widget_cost(line) for line in text.split("\n"))


def split_fragment(text: str, limit: int = MAX_APPEND, widgets: int = MAX_WIDGETS) -> tuple[str, str]:
    """(head, rest): head at most `limit` characters and about `widgets` widgets, cut after a block (a
    blank line). A first block over the widget budget on its own goes whole if it fits in `limit`: a
    list cut in two is rebuilt whole when its second half comes."""
    soft = min(limit, _cost_end(text, widgets))
    if len(text) <= soft:
        return text, ""
    cut = text.rfind("\n\n", 0, soft)
    if cut <= 0:
        end = text.find("\n\n", soft)
        whole = len(text) if end < 0 else end + 1
        if whole <= limit:
            return text[:whole], text[whole:]
        cut = text.rfind("\n", 0, limit)
    cut = cut + 1 if cut > 0 else limit
    return text[:cut], text[cut:]


class TextBlock:
    """A Markdown block in the making; `pending` holds the text not appended yet."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.markdown = lean_markdown(kind)
        self.pending: list[str] = []
        self.mounted = False
        self.queued = False  # in its panel's queue
        self.dead = False  # pruned before its text was shown: the text is dropped

    def add(self, text: str) -> None:
        self.pending.append(text)

    async def write_step(self, limit: int = MAX_APPEND, widgets: int = MAX_WIDGETS) -> tuple[int, int]:
        """Append up to `limit` characters (about `widgets` widgets) of the pending text to the Markdown
        widget; (characters, widgets) it appended."""
        head, rest = split_fragment("".join(self.pending), limit, widgets)
        self.pending.clear()
        if rest:
            self.pending.append(rest)
        if head and not self.dead:
            await self.markdown.append(head)
        return len(head), widgets_in(head)

    @property
    def text_waiting(self) -> bool:
        return bool(self.pending) and not self.dead


class BlockMount:
    """A block (tool call, note, media, progress bar) to mount on its panel's turn; `done` holds the widget."""

    def __init__(self, widget: Widget, replacing: Widget | None = None) -> None:
        self.widget = widget
        self.replacing = replacing  # a progress bar this block takes the place of
        self.done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def finish(self) -> None:
        if not self.done.done():
            self.done.set_result(self.widget)


class StatusNote:
    """A status word (and detail) to show once everything queued before it is shown."""

    def __init__(self, status: str, detail: str) -> None:
        self.status = status
        self.detail = detail


class ProgressNote:
    """A progress bar to move (and maybe a partial picture to show) on the panel's turn."""

    def __init__(self, bar: Any, percent: float | None, label: str | None, partial: Any = None) -> None:
        self.bar = bar
        self.percent = percent
        self.label = label
        self.partial = partial

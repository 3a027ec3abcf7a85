"""Textual's MarkdownStream, appending at most a screenful of text at a time.

MarkdownStream joins everything written while an append was in flight into the next append. When a
stream outruns the screen (a burst, or many agents at once), that next append can be tens of
paragraphs: one long stall of the event loop. Here each append takes at most `MAX_APPEND` characters,
cut at a line end, and the loop runs between appends; the rest follows in the next ones.
"""

from __future__ import annotations

import asyncio

from textual.widgets.markdown import MarkdownStream

MAX_APPEND = 1500


def split_fragment(text: str, limit: int = MAX_APPEND) -> tuple[str, str]:
    """(head, rest): head at most `limit` characters, ending at a blank line or line end when there is one."""
    if len(text) <= limit:
        return text, ""
    cut = text.rfind("\n\n", 0, limit)
    if cut <= 0:
        cut = text.rfind("\n", 0, limit)
    cut = cut + 1 if cut > 0 else limit
    return text[:cut], text[cut:]


class PacedMarkdownStream(MarkdownStream):
    """A MarkdownStream whose appends are bounded in size (see the module docstring)."""

    async def _run(self) -> None:
        try:
            while await self._new_markup.wait():
                head, rest = split_fragment("".join(self._pending))
                self._pending.clear()
                if rest:
                    self._pending.append(rest)  # the event stays set: the rest goes next
                else:
                    self._new_markup.clear()
                await asyncio.shield(self.markdown_widget.append(head))
                await asyncio.sleep(0)
        except asyncio.CancelledError:
            pass
        rest = "".join(self._pending)
        self._pending.clear()
        while rest:  # stopping: the rest in bounded pieces too (each append lets the loop run)
            head, rest = split_fragment(rest)
            await self.markdown_widget.append(head)

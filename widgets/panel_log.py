"""The scrolling part of an agent panel: its blocks, anchored to the bottom until the user scrolls up.

While it follows the stream, blocks more than a screen or so above the bottom are folded away
(`display: none`), and so are the older parts of a long Markdown block being streamed: Textual lays
out every displayed widget of the screen on each layout, so a long history in eight panels would
make every frame slower. The moment the user scrolls away from the bottom everything unfolds, without
moving what is on screen (or, if they jumped to the very top, showing the real top); folding resumes
once they are back at the bottom.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Markdown, Static

FOLD_SCREENS = 1  # while following, this many screens of history stay laid out (what is on screen)...
FOLD_MARGIN = 3  # ...and this many lines above it, a safety margin for the estimated heights
NOTES = frozenset({"pruned", "folded"})  # the log's own lines, not blocks of the stream


class PanelLog(VerticalScroll, can_focus=True):
    """Follows the stream once it overflows; scrolling up releases the anchor (Textual's `anchor`)."""

    DEFAULT_CSS = """
    PanelLog { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; scrollbar-gutter: stable; }
    PanelLog > Markdown { margin: 0 0 1 0; padding: 0; }
    PanelLog MarkdownHeader { margin: 1 0 1 0; }
    PanelLog > Markdown.reasoning { color: $text-muted; text-style: italic; border-left: wide $panel-lighten-2; padding-left: 1; }
    PanelLog > .error { color: $text-error; background: $error 10%; padding: 0 1; margin: 0 0 1 0; height: auto; }
    PanelLog > .note { color: $text-muted; height: auto; margin: 0 0 1 0; }
    PanelLog > .turn { color: $text-accent; text-style: bold; height: auto; margin: 0 0 1 0; }
    PanelLog > .pruned { color: $text-muted; text-style: italic; height: auto; }
    PanelLog > .folded { color: $text-muted; text-style: italic; height: auto; margin: 0 0 1 0; }
    PanelLog > .folded:hover { color: $text; text-style: italic underline; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._folded: list[Widget] = []  # the blocks folded away, oldest first
        self._fold_note: Static | None = None
        self._folding = True  # off between runs: nothing streams, so the whole history stays laid out

    @property
    def folding(self) -> bool:
        return self._folding

    @folding.setter
    def folding(self, on: bool) -> None:
        """Turned on as a run starts: the history laid out between runs is folded at once, in this panel's
        next frame, not on its first turn (until then every frame laid out all of it: ~1,000 widgets)."""
        self._folding = on
        if on:
            self.fold_history()

    def on_resize(self) -> None:
        self._follow_if_overflowing()
        if self._folded and self.virtual_size.height < self._keep_lines():
            self.unfold()  # a taller panel (maximised) shows more of the history

    def watch_virtual_size(self) -> None:
        self._follow_if_overflowing()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._folded and new_value < old_value and not self.following:
            self.unfold()  # the user scrolls back to read: the whole history is there again

    def _follow_if_overflowing(self) -> None:
        """Follow the stream only once it overflows (an anchored short log would sit at the bottom)."""
        overflows = self.virtual_size.height > self.scrollable_content_region.height
        if overflows and not self.is_anchored:
            self.anchor()
        elif not overflows and self.is_anchored:
            self.anchor(False)
            self.scroll_home(animate=False, immediate=True)  # a scroll left from taller content would hide the top

    @property
    def following(self) -> bool:
        """Anchored and at the bottom: the user is watching the stream, not reading back."""
        return self.is_anchored and self.scroll_y >= self.max_scroll_y - 1

    def _keep_lines(self) -> int:
        return FOLD_SCREENS * self.scrollable_content_region.height + FOLD_MARGIN

    def _blocks(self) -> list[Widget]:
        return [child for child in self.children if child.display and not NOTES & child.classes]

    def _fold_units(self) -> list[Widget]:
        """What can be folded, newest first: blocks, and the parts of the newest block if it is Markdown."""
        blocks = self._blocks()
        if not blocks:
            return []
        newest = blocks[-1]
        inner = [child for child in newest.children if child.display] if isinstance(newest, Markdown) else []
        return [*reversed(inner or [newest]), *reversed(blocks[:-1])]

    def fold_history(self) -> None:
        """While following, hide the units that lie wholly above the screen and its margin (every unit
        laid out costs each frame, on screen or not; the newest unit always stays)."""
        if not self._folding or not self.following:
            return
        keep, below, doomed = self._keep_lines(), 0, []
        for unit in self._fold_units():  # newest first: `below` is how far the unit's bottom is from the end
            if below >= keep:
                doomed.append(unit)
            below += (unit.outer_size.height + unit.styles.margin.bottom) or 1
        if doomed:
            for block in doomed:
                block.display = False
            self._folded.extend(reversed(doomed))
            self._show_note()

    def stop_folding(self) -> None:
        """The stream is over: show the whole history again and fold nothing until `folding` is set again."""
        self.folding = False
        self.unfold()

    def unfold(self) -> None:
        """Show every folded block again and keep the view still (at the very top, stay at the real top)."""
        from_bottom = self.max_scroll_y - self.scroll_y  # all that changes is above the view
        for block in self._folded:
            if block.is_attached:  # (a Markdown list rebuilds itself as it grows: the old one is gone)
                block.display = True
        self._folded.clear()
        self._show_note()
        if self.scroll_y > 0:
            self.call_after_refresh(self._keep_from_bottom, from_bottom)

    def _keep_from_bottom(self, from_bottom: float) -> None:
        if from_bottom <= 1:  # at the end: stay there, still anchored (scroll_to would release the anchor)
            self.scroll_end(animate=False, immediate=True)
        else:
            self.scroll_to(y=max(0.0, self.max_scroll_y - from_bottom), animate=False, immediate=True)

    def forget(self, removed: list[Widget]) -> None:
        """Blocks pruned from the panel are no longer folded."""
        gone = set(removed)
        self._folded = [block for block in self._folded if block not in gone]
        self._show_note()

    def _show_note(self) -> None:
        count = len(self._folded)
        if self._fold_note is None and count:
            self._fold_note = Static(classes="folded", markup=False)
            self.mount(self._fold_note, before=self._note_index())
        if self._fold_note is not None:
            self._fold_note.update(f"▲ {count} earlier blocks folded while streaming: scroll up or click to show them")
            self._fold_note.display = bool(count)

    def _note_index(self) -> int:
        return 1 if self.children and self.children[0].has_class("pruned") else 0

    def on_click(self, event: object) -> None:
        if self._fold_note is not None and getattr(event, "widget", None) is self._fold_note:
            self.unfold()

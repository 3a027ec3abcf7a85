"""The prompt line: Enter sends, Up/Down walk the history, a multi-line paste is kept whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import events
from textual.binding import Binding
from textual.widgets import Input


@dataclass
class PromptHistory:
    """Earlier prompts, oldest first, with a cursor that Up/Down move; the unsent draft is kept."""

    entries: list[str] = field(default_factory=list)
    limit: int = 500
    _index: int | None = None
    _draft: str = ""

    def add(self, text: str) -> None:
        """Remember a sent prompt (not a blank one, not the same one twice in a row)."""
        text = text.strip()
        if text and (not self.entries or self.entries[-1] != text):
            self.entries.append(text)
            del self.entries[: -self.limit]
        self._index = None

    def previous(self, current: str) -> str | None:
        """The entry before the cursor, or None at the oldest."""
        if not self.entries:
            return None
        if self._index is None:
            self._draft = current
            self._index = len(self.entries)
        if self._index == 0:
            return None
        self._index -= 1
        return self.entries[self._index]

    def next(self) -> str | None:
        """The entry after the cursor; past the newest, the draft comes back."""
        if self._index is None:
            return None
        self._index += 1
        if self._index >= len(self.entries):
            self._index = None
            return self._draft
        return self.entries[self._index]


class PromptInput(Input):
    """An Input with prompt history; submitting records the text."""

    DEFAULT_CSS = """
    PromptInput { width: 1fr; }
    """

    BINDINGS = [
        Binding("up", "history_previous", "Previous prompt", show=False),
        Binding("down", "history_next", "Next prompt", show=False),
    ]

    def __init__(self, history: PromptHistory | None = None, **kwargs: object) -> None:
        kwargs.setdefault("placeholder", "Ask the team…  (Enter sends, ↑ ↓ history)")
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.history = history if history is not None else PromptHistory()

    def action_history_previous(self) -> None:
        entry = self.history.previous(self.value)
        if entry is not None:
            self.value = entry
            self.cursor_position = len(entry)

    def action_history_next(self) -> None:
        entry = self.history.next()
        if entry is not None:
            self.value = entry
            self.cursor_position = len(entry)

    def record(self, text: str) -> None:
        """Add a sent prompt to the history and clear the line."""
        self.history.add(text)
        self.clear()

    def _on_paste(self, event: events.Paste) -> None:
        """Keep every line of a paste (Input keeps only the first) by joining them with spaces."""
        text = " ".join(line.strip() for line in event.text.splitlines() if line.strip())
        if text:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)
        event.prevent_default()
        event.stop()

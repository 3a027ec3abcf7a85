"""Telling a dropped file from pasted text, for any widget or for the whole app.

Terminals paste the paths of dropped files as text (one `events.Paste`). Textual calls `_on_paste`
on every class of a widget's MRO until a handler calls `prevent_default()`, so a widget mixes
`PasteAttachMixin` in *before* its base class (`class Prompt(PasteAttachMixin, TextArea)`): on a
drop the mixin prevents the base insert and stops the bubble; on text it does nothing and the
base inserts as usual. To catch drops wherever focus is (an Input stops every paste), the app
calls `intercept_app_paste` first in `on_event`. Either way a `PathsPasted` message is posted."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump

from massgen.attachments.paste import Dropped, scan_paste


class PathsPasted(Message):
    """Paths were dropped (pasted); `dropped` holds each path with any problem found while parsing."""

    def __init__(self, dropped: list[Dropped]) -> None:
        super().__init__()
        self.dropped = dropped

    @property
    def paths(self) -> list[Path]:
        return [d.path for d in self.dropped]


def claim_paste(event: events.Paste, *, cwd: Path | str | None = None,
                home: Path | str | None = None) -> list[Dropped] | None:
    """The dropped paths, after stopping the event (no insert, no bubble); None leaves a text paste alone."""
    found = scan_paste(event.text, cwd if cwd is not None else Path.cwd(), home if home is not None else Path.home())
    if found is None:
        return None
    event.prevent_default()
    event.stop()
    return found


def intercept_app_paste(app: App, event: events.Event, *, cwd: Path | str | None = None,
                        home: Path | str | None = None) -> bool:
    """For `App.on_event`: claim a drop before Textual forwards it to the focused widget.

    Returns True when the event was a drop (PathsPasted is posted to the app; do not forward it)."""
    if not isinstance(event, events.Paste) or event.is_forwarded:
        return False
    found = claim_paste(event, cwd=cwd, home=home)
    if found is None:
        return False
    app.post_message(PathsPasted(found))
    return True


class PasteAttachMixin(MessagePump):
    """Turns drops on this widget into PathsPasted; put it before the widget class in the bases."""

    paste_cwd: Path | str | None = None
    paste_home: Path | str | None = None

    def _on_paste(self, event: events.Paste) -> None:
        found = claim_paste(event, cwd=self.paste_cwd, home=self.paste_home)
        if found is not None:
            self.post_message(PathsPasted(found))

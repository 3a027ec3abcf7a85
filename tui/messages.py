"""What the app's screens and helpers tell the app (MassGenApp handles each): they post these instead of
changing the app's state themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from widgets.final_result import FinalResult
    from massgen.media import MediaItem


class MediaAdded(Message):
    """A picture or file is on screen: streamed by an agent, or (`edited`) a new version an edit made."""

    def __init__(self, item: "MediaItem", edited: bool = False) -> None:
        super().__init__()
        self.item = item
        self.edited = edited


class RunFinished(Message):
    """The team's run is over; `final` is its answer (None when it was cancelled or gave none)."""

    def __init__(self, final: "FinalResult | None") -> None:
        super().__init__()
        self.final = final

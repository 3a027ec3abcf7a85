"""The end of a run: the winner, how the team voted, and the answer with its media; or why there is none."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from massgen.media import MediaItem, MediaType

from .final_result import FinalResult, vote_summary
from .media_link import MediaLink
from .media_view import INLINE_ROWS, THUMBNAIL_ROWS, MediaView


class FinalAnswer(VerticalScroll):
    """The final answer, rendered once as Markdown (it is complete), with its media below."""

    DEFAULT_CSS = """
    FinalAnswer { height: 1fr; padding: 0 1; }
    FinalAnswer > .winner { text-style: bold; color: $text-warning; height: auto; margin: 1 0 0 0; }
    FinalAnswer > .problem { text-style: bold; color: $text-error; height: auto; margin: 1 0; }
    FinalAnswer > .votes { color: $text-muted; height: auto; margin: 0 0 1 0; }
    FinalAnswer > .reasons { color: $text-muted; height: auto; margin: 0 0 1 2; }
    FinalAnswer > Markdown { height: auto; margin: 0; padding: 0; border-top: hkey $panel-lighten-2; }
    FinalAnswer > Markdown > MarkdownBlock:first-child { margin-top: 1; }
    """

    def __init__(self, result: FinalResult, image_mode: str = "inline", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.result = result
        self.image_mode = image_mode

    def compose(self) -> ComposeResult:
        result = self.result
        if result.problem:
            yield Static(f"✗ No answer: {result.problem}", classes="problem", markup=False)
        if result.winner:
            yield Static(f"★ Winner: {result.winner}", classes="winner", markup=False)
        if result.votes:
            yield Static("Votes: " + "   ·   ".join(vote_summary(result.votes)), classes="votes", markup=False)
            reasons = [_one_line(f"{v.voter} → {v.target}: {v.reason}") for v in result.votes if v.reason]
            if reasons:
                yield Static("\n".join(reasons), classes="reasons", markup=False)
        if result.answer:
            yield Markdown(result.answer, classes="answer")
        for item in result.media:
            yield media_widget(item, self.image_mode)


def _one_line(text: str, width: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def media_widget(item: MediaItem, image_mode: str) -> MediaView | MediaLink:
    """The widget for one finished media item under the `ui.multimodal_display.images` mode."""
    if item.media_type == MediaType.IMAGE and image_mode != "none" and (item.path or item.data):
        rows = THUMBNAIL_ROWS if image_mode == "thumbnail" else INLINE_ROWS
        return MediaView(item, max_rows=rows)
    return MediaLink(item)

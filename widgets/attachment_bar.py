"""The attachment bar: one chip per attached file, and for each agent what it will receive.

A chip shows the file's icon, name, sniffed type, size and dimensions or duration, then one line
per agent (sent as is, fitted to what size, sent as text, or left out and why; the full words are
in the tooltip). ✕ or Delete removes a chip (the bar posts `Removed`); Enter or a click posts
`Preview` for the app to show the file. The bar hides itself when it holds nothing."""

from __future__ import annotations

from typing import Iterable, Sequence

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalScroll, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from massgen.attachments.cache import DEFAULT_CACHE, PrepareCache
from massgen.attachments.model import Attachment
from massgen.attachments.plan import AgentSpec, Decision, plan_attachments
from massgen.attachments.prepare import prefit

VERDICT_LOOKS = {
    "as_is": ("✓", "$success"),
    "upload": ("⇪", "$success"),
    "fit": ("⤓", "$warning"),
    "stand_in": ("≈", "$accent"),
    "left_out": ("✗", "$error"),
}
CHIP_WIDTHS = (26, 48)  # narrowest and widest chip, in cells


class RemoveMark(Static):
    """The ✕ of a chip; a click removes the chip (and does not also open a preview)."""

    DEFAULT_CSS = """
    RemoveMark { width: 3; height: 1; content-align: right middle; color: $text-muted; }
    RemoveMark:hover { color: $error; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__(" ✕")
        self.tooltip = "Remove this attachment (Delete)"

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.query_ancestor(AttachmentChip).request_remove()


class AttachmentChip(Vertical, can_focus=True):
    """One attachment: facts on top, one verdict line per agent below."""

    BINDINGS = [
        Binding("enter", "preview", "Preview", show=False),
        Binding("delete,backspace,x", "remove", "Remove", show=False),
    ]

    DEFAULT_CSS = """
    AttachmentChip {
        height: auto; max-height: 12;  /* width: set from the longest line, within CHIP_WIDTHS */
        margin: 0 1 0 0; padding: 0 1;
        border: round $primary 50%; background: $boost;
    }
    AttachmentChip:focus { border: round $accent; background: $accent 10%; }
    AttachmentChip.-error { border: round $error 70%; }
    AttachmentChip > .chip-head { height: 1; }
    AttachmentChip .chip-title { width: 1fr; text-style: bold; text-wrap: nowrap; text-overflow: ellipsis; }
    AttachmentChip .chip-facts { color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    AttachmentChip.-error .chip-facts { color: $text-error; text-wrap: wrap; max-height: 3; }
    AttachmentChip .chip-verdict { text-wrap: wrap; max-height: 2; text-overflow: ellipsis; }
    """

    def __init__(self, attachment: Attachment, decisions: Sequence[Decision]) -> None:
        super().__init__(classes="-error" if not attachment.ok else "")
        self.attachment = attachment
        self.decisions = list(decisions)
        self.tooltip = self._tooltip_text()
        self.styles.width = self._width()

    def compose(self) -> ComposeResult:
        attachment = self.attachment
        with Horizontal(classes="chip-head"):
            yield Static(Content(f"{attachment.icon} {attachment.name}"), classes="chip-title")
            yield RemoveMark()
        facts = " · ".join(attachment.facts()) if attachment.ok else (attachment.problem or attachment.error or "")
        yield Static(Content(facts), classes="chip-facts")
        if attachment.ok:
            for decision in self.decisions:
                yield Static(verdict_line(decision), classes="chip-verdict")

    async def set_decisions(self, decisions: Sequence[Decision]) -> None:
        """Show new verdicts (e.g. the real size once the fitted copy is made)."""
        self.decisions = list(decisions)
        self.tooltip = self._tooltip_text()
        self.styles.width = self._width()
        await self.recompose()

    def _width(self) -> int:
        """Wide enough for the longest line (borders and padding included), within CHIP_WIDTHS."""
        lines = [Content(f"{self.attachment.icon} {self.attachment.name}   ")]
        if self.attachment.ok:
            lines += [Content(" · ".join(self.attachment.facts())), *map(verdict_line, self.decisions)]
        low, high = CHIP_WIDTHS
        return max(low, min(high, max(line.cell_length for line in lines) + 4))

    def _tooltip_text(self) -> str:
        lines = [self.attachment.summary() if self.attachment.ok else (self.attachment.error or "")]
        lines += [d.line for d in self.decisions] if self.attachment.ok else []
        lines.append("Enter: preview · Delete: remove")
        return "\n".join(lines)

    def on_click(self, event: events.Click) -> None:
        self.focus()
        self.action_preview()

    def action_preview(self) -> None:
        if self.attachment.ok:
            self.post_message(AttachmentBar.Preview(self.attachment))

    def action_remove(self) -> None:
        self.request_remove()

    def request_remove(self) -> None:
        bar = self.parent
        if isinstance(bar, AttachmentBar):
            bar.remove_attachment(self.attachment)


def verdict_line(decision: Decision) -> Content:
    """`✓ claude as is`, the symbol coloured by what the agent gets."""
    symbol, colour = VERDICT_LOOKS[decision.action]
    return Content.from_markup(f"[{colour}]$symbol[/] [b]$agent[/b] $summary", symbol=symbol,
                               agent=decision.agent_id, summary=decision.summary)


class AttachmentBar(HorizontalScroll, can_focus=False):
    """Chips side by side; scrolls sideways when there are more than fit.

    With `prefit` (the default) the fitted copies are made in the background as soon as files are
    attached, through the same cache sending uses, and the chips then show their real sizes."""

    BINDINGS = [
        Binding("left", "focus_chip(-1)", show=False),
        Binding("right", "focus_chip(1)", show=False),
    ]

    DEFAULT_CSS = """
    AttachmentBar { height: auto; max-height: 14; width: 1fr; padding: 0 1; scrollbar-size-horizontal: 1; }
    AttachmentBar.-empty { display: none; }
    """

    class Removed(Message):
        """The user removed an attachment from the bar."""

        def __init__(self, attachment: Attachment) -> None:
            super().__init__()
            self.attachment = attachment

    class Preview(Message):
        """The user asked to see an attachment (Enter or click on its chip)."""

        def __init__(self, attachment: Attachment) -> None:
            super().__init__()
            self.attachment = attachment

    def __init__(self, attachments: Iterable[Attachment] = (), agents: Iterable[AgentSpec] = (), *,
                 cache: PrepareCache | None = None, prefit: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self._attachments = list(attachments)
        self._agents = list(agents)
        self.cache = cache or DEFAULT_CACHE
        self.prefit_enabled = prefit

    @property
    def attachments(self) -> list[Attachment]:
        return list(self._attachments)

    @property
    def chips(self) -> list[AttachmentChip]:
        return list(self.query(AttachmentChip))

    def compose(self) -> ComposeResult:
        yield from self._make_chips()

    def on_mount(self) -> None:
        self.set_class(not self._attachments, "-empty")
        self._start_prefit()

    async def set_attachments(self, attachments: Iterable[Attachment]) -> None:
        """Show these attachments (in this order) instead of the current ones."""
        self._attachments = list(attachments)
        await self._rebuild()

    async def set_agents(self, agents: Iterable[AgentSpec]) -> None:
        """Re-judge every attachment for a new team."""
        self._agents = list(agents)
        await self._rebuild()

    def remove_attachment(self, attachment: Attachment) -> None:
        """Drop one chip, move focus to its neighbour and post Removed."""
        chips = self.chips
        index = next((i for i, chip in enumerate(chips) if chip.attachment is attachment), None)
        if index is None:
            return
        self._attachments = [a for a in self._attachments if a is not attachment]
        had_focus = chips[index].has_focus
        chips[index].remove()
        rest = chips[:index] + chips[index + 1:]
        if had_focus and rest:
            rest[min(index, len(rest) - 1)].focus()
        self.set_class(not self._attachments, "-empty")
        self.post_message(self.Removed(attachment))

    def action_focus_chip(self, step: int) -> None:
        chips = self.chips
        current = next((i for i, chip in enumerate(chips) if chip.has_focus), None)
        if chips and current is not None:
            target = chips[(current + step) % len(chips)]
            target.focus()
            self.scroll_to_widget(target)

    async def _rebuild(self) -> None:
        await self.remove_children()
        await self.mount_all(self._make_chips())
        self.set_class(not self._attachments, "-empty")
        self._start_prefit()

    def _columns(self) -> list[list[Decision]]:
        """Per attachment, each agent's decision (the plan is per agent)."""
        plan = plan_attachments(self._attachments, self._agents, self.cache)
        return [[decisions[i] for decisions in plan.values()] for i in range(len(self._attachments))]

    def _make_chips(self) -> list[AttachmentChip]:
        return [AttachmentChip(a, column) for a, column in zip(self._attachments, self._columns())]

    def _start_prefit(self) -> None:
        if self.prefit_enabled and self._attachments and self._agents:
            self.run_worker(self._prefit_and_show(), group="prefit", exclusive=True)

    async def _prefit_and_show(self) -> None:
        """Fit in threads, then refresh the chips whose verdicts changed."""
        attachments, agents = list(self._attachments), list(self._agents)
        if not await prefit(attachments, agents, cache=self.cache):
            return
        columns = {id(a): column for a, column in zip(self._attachments, self._columns())}
        for chip in self.chips:
            column = columns.get(id(chip.attachment))
            if column is not None and [d.summary for d in column] != [d.summary for d in chip.decisions]:
                await chip.set_decisions(column)

"""The one-line header of an agent panel: who the agent is, what runs it, and its live status."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from massgen.stream_chunk import AgentStatus

from .status_words import status_look


class AgentHeader(Widget):
    """Agent id, backend and model on the left; status (and its detail) on the right."""

    DEFAULT_CSS = """
    AgentHeader {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $boost;
    }
    AgentHeader:hover { background: $primary 20%; }
    AgentHeader.-failed { background: $error 15%; }
    AgentHeader.-winner { background: $warning 15%; }
    """

    status: reactive[str] = reactive(AgentStatus.IDLE)  # an AgentStatus, or an unknown word shown as it is
    detail: reactive[str] = reactive("")

    class Clicked(Message):
        """The header was clicked (the panel toggles maximised)."""

        def __init__(self, agent_id: str) -> None:
            super().__init__()
            self.agent_id = agent_id

    def __init__(self, agent_id: str, backend: str = "", model: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.agent_id = agent_id
        self.backend = backend
        self.model = model
        self.alias = ""  # the anonymous id the other agents see this one's answers under
        self.tooltip = "Click to maximise or restore this panel"
        self._class_status: str = AgentStatus.IDLE  # the status whose class (-word) the header carries

    def set_alias(self, alias: str) -> None:
        """Show the anonymous id too, so that "vote for agent2" in any panel can be read."""
        self.alias = alias
        self.tooltip = f"Click to maximise or restore this panel; the other agents see this one as {alias}"
        self.refresh()

    def watch_status(self, old: str, new: str) -> None:
        self._show_class(new)

    def note_status(self, status: str, detail: str) -> None:
        """Take a new status at once (render() shows it) without repainting: `show_status` repaints, later."""
        self.set_reactive(AgentHeader.detail, detail)
        self.set_reactive(AgentHeader.status, status)

    def show_status(self) -> None:
        """Repaint with the noted status: its class (the background) and the line."""
        self._show_class(self.status)
        self.refresh()

    def _show_class(self, status: str) -> None:
        if status != self._class_status:
            self.remove_class(f"-{self._class_status}")
        self.add_class(f"-{status}")
        self._class_status = status

    def render(self) -> Content:
        """Agent id first, then the status word, then backend and model, then the status detail, as room allows."""
        look = status_look(self.status)
        word = f"{look.symbol} {look.label}"
        label = word
        if self.detail and self.detail.split(" ", 1)[0].lower() not in (self.status, look.label):
            label = f"{word}: {self.detail}"  # a detail that only repeats the word is left out
        name = Content.from_markup("[b]$agent[/b]", agent=self.agent_id)
        right = Content.from_markup(f"[{look.colour}]$label[/]", label=label)
        engine_text = " · ".join(part for part in (self.alias, self.backend, self.model) if part)
        width = self.content_size.width
        room = width - name.cell_length - 2  # two spaces after the name
        if room < len(word):
            return Content.assemble(name.truncate(max(0, width - 3)), " ", right.truncate(2))
        engine = Content.from_markup("[dim]$engine[/dim]", engine=engine_text)
        engine_room = room - len(word) - 1
        engine = engine.truncate(engine_room, ellipsis=True) if engine_room >= 6 else Content("")
        right_room = room - engine.cell_length - (1 if engine.cell_length else 0)
        if right.cell_length > right_room:  # the detail gives way first, then the word is kept whole
            right = right.truncate(right_room, ellipsis=True) if right_room >= len(word) + 6 else \
                Content.from_markup(f"[{look.colour}]$word[/]", word=word)
        gap = max(1, room - engine.cell_length - right.cell_length)
        return Content.assemble(name, "  ", engine, " " * gap, right)

    def on_click(self) -> None:
        self.post_message(self.Clicked(self.agent_id))

"""The agent panels side by side: as many columns as the width allows, scrolling when there are more."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll

if TYPE_CHECKING:
    from widgets.agent_panel import AgentPanel

MIN_PANEL_WIDTH = 44
MIN_PANEL_HEIGHT = 14


def grid_shape(count: int, width: int, height: int, min_width: int = MIN_PANEL_WIDTH,
               min_height: int = MIN_PANEL_HEIGHT) -> tuple[int, int]:
    """(columns, row height): the widest grid whose panels are at least `min_width`; rows share the height."""
    if count <= 0:
        return 1, max(1, height)
    columns = max(1, min(count, width // min_width))
    rows = math.ceil(count / columns)
    return columns, max(min_height, height // rows)


class PanelGrid(VerticalScroll):
    """Lays out AgentPanels in a grid; one panel can be maximised (the others hide) and restored."""

    DEFAULT_CSS = """
    PanelGrid { layout: grid; grid-gutter: 0 1; height: 1fr; padding: 0 0; scrollbar-size-vertical: 1; }
    PanelGrid > AgentPanel.-hidden { display: none; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.maximised: str | None = None
        self._by_id: dict[str, "AgentPanel"] = {}  # every chunk looks its panel up: no DOM query per chunk

    async def set_panels(self, panels: list["AgentPanel"]) -> None:
        """Replace the panels (one per agent, in team order)."""
        await self.remove_children()
        self._by_id = {panel.agent_id: panel for panel in panels}
        self.maximised = None
        await self.mount_all(panels)
        self.relayout()

    @property
    def panels(self) -> list["AgentPanel"]:
        return list(self._by_id.values())

    def panel(self, agent_id: str) -> "AgentPanel | None":
        return self._by_id.get(agent_id)

    def on_resize(self) -> None:
        self.relayout()

    def relayout(self) -> None:
        """Recompute columns and row height from the size and the number of visible panels."""
        visible = [p for p in self.panels if not p.has_class("-hidden")]
        size = self.scrollable_content_region.size
        width, height = size.width or self.app.size.width, size.height or self.app.size.height
        columns, row_height = grid_shape(len(visible), width, height)
        if len(visible) > 1 and math.ceil(len(visible) / columns) * row_height > height:
            columns, row_height = grid_shape(len(visible), max(1, width - 1), height)  # room for the scrollbar
        self.styles.grid_size_columns = columns
        self.styles.grid_rows = str(row_height)
        self.set_class(columns == 1 and len(visible) > 1, "-stacked")

    def toggle_maximise(self, agent_id: str) -> bool:
        """Maximise `agent_id` (or restore all if it already is); True if a panel is now maximised."""
        self.maximised = None if self.maximised == agent_id else agent_id
        for panel in self.panels:
            panel.set_class(self.maximised is not None and panel.agent_id != self.maximised, "-hidden")
        self.relayout()
        self.scroll_home(animate=False)
        return self.maximised is not None

"""A tool call shown in one line (the coordination tools in words); a click shows its full arguments."""

from __future__ import annotations

import json
from typing import Any

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from .tool_summary import call_name_and_args, summarise_call


class ToolCallView(Widget):
    """One tool call, compact; click or Enter toggles the full JSON arguments."""

    DEFAULT_CSS = """
    ToolCallView {
        height: auto;
        width: 1fr;
        padding: 0 1;
        color: $text-muted;
        background: $surface;
        margin: 0 0 1 0;
    }
    ToolCallView:hover { background: $boost; }
    ToolCallView:focus { background: $boost; }
    ToolCallView.-coordination { color: $text-success; }
    """

    can_focus = True
    expanded: reactive[bool] = reactive(False, layout=True)

    BINDINGS = [("enter", "toggle", "Details")]

    def __init__(self, call: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.call = call
        self.tool_name, self.args = call_name_and_args(call)
        self.set_class(self.tool_name in ("new_answer", "vote"), "-coordination")
        self.tooltip = "Click to show or hide the arguments"

    def render(self) -> Content:
        summary = Content(summarise_call(self.call))
        if not self.expanded:
            return summary
        body = json.dumps(self.args, indent=2, ensure_ascii=False)
        return Content.assemble(summary, "\n", (body, "$text"))

    def action_toggle(self) -> None:
        self.expanded = not self.expanded

    def on_click(self) -> None:
        self.action_toggle()

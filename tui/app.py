"""The massgen-tui application (a minimal shell until the full app lands)."""

from __future__ import annotations

import argparse

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class MassGenApp(App):
    """Minimal placeholder app: a header, a line of text and a footer."""

    TITLE = "massgen-tui"
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def __init__(self, args: argparse.Namespace | None = None) -> None:
        super().__init__()
        self.args = args

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("massgen-tui: the agent team is not wired in yet.", id="placeholder")
        yield Footer()

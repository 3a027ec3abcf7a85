"""The panel header: when room is short, the status word outlives the backend and model."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from widgets.agent_header import AgentHeader


class Header(App[None]):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.width = width

    def compose(self) -> ComposeResult:
        header = AgentHeader("claude", "claude", "claude-sonnet-4-6-with-a-long-name")
        header.styles.width = self.width
        yield header


@pytest.mark.parametrize("width", [34, 50, 130])
async def test_status_word_stays_whole_and_the_engine_gives_way(width: int):
    app = Header(width)
    async with app.run_test(size=(140, 5)) as pilot:
        header = app.query_one(AgentHeader)
        header.set_alias("agent1")
        header.note_status("failed", "ended without an answer after 3 turns")
        header.show_status()
        await pilot.pause()
        line = str(header.render())
        assert line.startswith("claude  ") and "✗ failed" in line
        assert len(line) <= header.content_size.width
        assert ("agent1 · claude · claude-sonnet-4-6-with-a-long-name" in line) == (width == 130)
        assert ("ended without an answer after 3 turns" in line) == (width == 130)


async def test_a_header_too_narrow_for_the_word_keeps_the_name():
    app = Header(12)
    async with app.run_test(size=(140, 5)) as pilot:
        header = app.query_one(AgentHeader)
        header.note_status("streaming", "")
        await pilot.pause()
        line = str(header.render())
        assert line.startswith("claude") and len(line) <= header.content_size.width

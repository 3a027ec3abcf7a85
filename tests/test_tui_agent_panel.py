"""The panel and its blocks, mounted in a small host app and driven by synthetic calls (no orchestrator)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Markdown, ProgressBar

from massgen.media import MediaItem
from widgets.agent_panel import AgentPanel
from widgets.media_link import MediaLink
from widgets.media_progress import MediaProgress
from widgets.media_view import MediaView
from widgets.prompt_input import PromptInput
from widgets.tool_call import ToolCallView

from tui_fakes import UI_TEST_MARKS, png_bytes, wait_until

pytestmark = UI_TEST_MARKS


class Host(App[None]):
    def __init__(self, max_blocks: int = 300, image_mode: str = "inline") -> None:
        super().__init__()
        self.max_blocks, self.image_mode = max_blocks, image_mode
        self.opened: list[MediaLink.Opened] = []

    def compose(self) -> ComposeResult:
        yield AgentPanel("artist", "demo", "offline-demo", image_mode=self.image_mode, max_blocks=self.max_blocks)
        yield PromptInput(id="prompt")

    def on_media_link_opened(self, event: MediaLink.Opened) -> None:
        self.opened.append(event)


async def test_text_streams_into_one_markdown_until_another_block_comes():
    app = Host()
    async with app.run_test(size=(80, 30)):
        panel = app.query_one(AgentPanel)
        pieces = ["# Title\n\n", "Some ", "**bold** ", "text.\n"]
        for piece in pieces:
            await panel.append_text(piece)
        await panel.add_tool_calls([{"id": "1", "name": "vote", "arguments": {"agent_id": "agent1", "reason": "ok"}}])
        await panel.append_text("After the vote.")
        await panel.end_text()
        blocks = [type(child) for child in panel.log_view.children]
        assert blocks == [Markdown, ToolCallView, Markdown]
        first, second = panel.log_view.query_children(Markdown)
        assert first.source == "".join(pieces)
        assert second.source == "After the vote."
        assert panel.text_chunks == 5


async def test_reasoning_gets_its_own_block():
    app = Host()
    async with app.run_test(size=(80, 30)):
        panel = app.query_one(AgentPanel)
        await panel.append_text("thinking…", kind="reasoning")
        await panel.append_text("The answer.")
        await panel.end_text()
        kinds = [sorted(child.classes) for child in panel.log_view.children]
        assert kinds == [["reasoning"], ["content"]]


async def test_panel_follows_the_stream_until_the_user_scrolls_up():
    app = Host()
    async with app.run_test(size=(60, 16)) as pilot:
        panel = app.query_one(AgentPanel)
        log = panel.log_view
        for n in range(40):
            await panel.append_text(f"line {n}\n\n")
        await pilot.pause(0.2)
        assert log.max_scroll_y > 0 and log.scroll_y == log.max_scroll_y
        log.scroll_home(animate=False)  # what the wheel or PageUp does: releases the anchor
        await pilot.pause(0.1)
        for n in range(40, 60):
            await panel.append_text(f"line {n}\n\n")
        await pilot.pause(0.2)
        assert log.scroll_y == 0 and log.max_scroll_y > 0
        log.scroll_end(animate=False)  # back at the bottom: following again
        await pilot.pause(0.1)
        for n in range(60, 80):
            await panel.append_text(f"line {n}\n\n")
        await pilot.pause(0.2)
        assert log.scroll_y == log.max_scroll_y


async def test_a_short_log_stays_at_the_top():
    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(AgentPanel)
        await panel.append_text("Just one line.")
        await pilot.pause(0.1)
        assert panel.log_view.query_one(Markdown).region.y == panel.log_view.region.y


async def test_progress_bar_is_replaced_by_its_image(tmp_path: Path):
    picture = tmp_path / "poster.png"
    picture.write_bytes(png_bytes(200, 100))
    app = Host()
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(AgentPanel)
        await panel.append_text("Drawing.")
        bar = await panel.show_progress("img-1", "image", 30.0, "drawing")
        await panel.show_progress("img-1", "image", 20.0)  # progress never moves backwards on screen
        assert bar.query_one(ProgressBar).progress == 30.0
        await panel.show_progress("img-1", "image", 70.0, partial=MediaItem("image/png", data=png_bytes(50, 25)))
        await wait_until(pilot, lambda: bar.partial is not None)
        assert bar.query_one(ProgressBar).progress == 70.0
        view = await panel.add_media(MediaItem("image/png", media_id="img-1", path=str(picture)))
        await wait_until(pilot, lambda: view.picture is not None)
        assert not panel.log_view.query(MediaProgress)
        assert [type(c) for c in panel.log_view.children] == [Markdown, MediaView]
        assert max(view.thumbnail.size) <= 256  # a thumbnail, not the full bitmap
        assert view.picture.region.width <= panel.log_view.region.width


async def test_unfinished_progress_says_so():
    app = Host()
    async with app.run_test(size=(80, 30)):
        panel = app.query_one(AgentPanel)
        bar = await panel.show_progress("img-9", "image", 40.0)
        await panel.abandon_progress("cancelled")
        assert "not finished: cancelled" in bar.text


async def test_a_corrupt_image_shows_an_error_in_place(tmp_path: Path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    app = Host()
    async with app.run_test(size=(80, 30)) as pilot:
        panel = app.query_one(AgentPanel)
        view = await panel.add_media(MediaItem("image/png", media_id="x", path=str(broken)))
        await wait_until(pilot, lambda: view.error is not None)
        assert "broken.png" in view.error and view.picture is None


async def test_images_off_shows_a_labelled_item():
    app = Host(image_mode="none")
    async with app.run_test(size=(80, 30)):
        panel = app.query_one(AgentPanel)
        widget = await panel.add_media(MediaItem("image/png", media_id="x", data=png_bytes()))
        assert isinstance(widget, MediaLink)


async def test_old_blocks_are_pruned_with_a_note():
    app = Host(max_blocks=5)
    async with app.run_test(size=(80, 30)):
        panel = app.query_one(AgentPanel)
        for n in range(12):
            await panel.add_note(f"note {n}")
        children = list(panel.log_view.children)
        assert len(children) == 6 and "7 earlier blocks hidden" in str(children[0].render())
        assert str(children[-1].render()) == "note 11"


def _fake_viewer(folder: Path) -> Path:
    """An `xdg-open` that records what it was asked to open."""
    log = folder / "opened.txt"
    script = folder / "xdg-open"
    script.write_text(f"#!/bin/sh\necho \"$1\" >> {log}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return log


async def test_audio_item_opens_with_the_system_viewer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = _fake_viewer(bin_dir)
    monkeypatch.setenv("PATH", str(bin_dir))
    song = tmp_path / "song.mp3"
    song.write_bytes(b"ID3" + b"\0" * 100)
    app = Host()
    async with app.run_test(size=(80, 30)) as pilot:
        panel = app.query_one(AgentPanel)
        item = await panel.add_media(MediaItem("audio/mpeg", duration_seconds=3.0, media_id="a", path=str(song)))
        assert "♪ audio · song.mp3 · 103 B · 0:03" in str(item.render())
        await pilot.pause()
        await pilot.click(MediaLink)
        await wait_until(pilot, lambda: app.opened)
        assert app.opened[0].error is None
        await wait_until(pilot, lambda: log.exists())
        assert log.read_text().strip() == str(song)


async def test_no_system_viewer_gives_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    doc = tmp_path / "report.pdf"
    doc.write_bytes(b"%PDF-1.4\n")
    app = Host()
    async with app.run_test(size=(80, 30)) as pilot:
        panel = app.query_one(AgentPanel)
        item = await panel.add_media(MediaItem("application/pdf", media_id="d", path=str(doc)))
        item.action_open()
        await wait_until(pilot, lambda: app.opened)
        assert "no system viewer found" in app.opened[0].error and str(doc) in app.opened[0].error


async def test_tool_call_click_shows_arguments():
    app = Host()
    async with app.run_test(size=(80, 30)) as pilot:
        panel = app.query_one(AgentPanel)
        await panel.add_tool_calls([{"id": "1", "name": "generate_image", "arguments": {"prompt": "fox"}}])
        view = panel.query_one(ToolCallView)
        await pilot.pause()
        height = view.region.height
        await pilot.click(ToolCallView)
        await pilot.pause()
        assert view.expanded and view.region.height > height
        assert '"prompt": "fox"' in str(view.render())


async def test_multi_line_paste_is_kept_whole():
    app = Host()
    async with app.run_test(size=(80, 30)) as pilot:
        prompt = app.query_one(PromptInput)
        prompt.focus()
        app.post_message(events.Paste("first line\nsecond line\n"))
        await pilot.pause()
        assert prompt.value == "first line second line"


async def test_failed_status_marks_the_panel():
    app = Host()
    async with app.run_test(size=(80, 30)):
        panel = app.query_one(AgentPanel)
        panel.set_status("failed", "rate limited (429)\nretry later")
        assert panel.has_class("-failed") and panel.header.detail == "rate limited (429) retry later"
        assert "✗ failed: rate limited (429) retry later" in str(panel.header.render())


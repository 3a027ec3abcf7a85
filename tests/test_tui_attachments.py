"""Attachments in the real app: drops (pastes) wherever focus is, @path and typed paths on submit, the file
picker, the bar's per-agent verdicts for a claude + openai + demo team, removing, previewing, and sending."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Static

from massgen.config import load_config
from massgen.orchestrator import Orchestrator
from massgen.stream_chunk import ChunkType, MediaMetadata, MultimodalStreamChunk
from tui.app import AppOptions, MassGenApp
from tui.screens.file_picker import FilePicker, PickerTree
from tui.screens.viewer import ViewerScreen
from tui.team_loader import describe_team, read_team
from widgets.attachment_bar import AttachmentBar, AttachmentChip, RemoveMark
from widgets.media_progress import MediaProgress
from widgets.prompt_input import PromptInput

from media_samples import noise_image
from scripted_backend import ScriptedBackend, answer
from tui_fakes import (UI_TEST_MARKS, ScriptedOrchestrator, png_bytes, scripted_app, status, team_ready, type_prompt,
                       wait_until)

pytestmark = UI_TEST_MARKS
TEAM_YAML = """
agents:
  - id: claude
    backend: {type: claude, model: claude-sonnet-4-5}
  - id: openai
    backend: {type: openai, model: gpt-5.4-mini, base_url: "http://127.0.0.1:9/v1"}
  - id: demo
    backend: {type: demo}
"""


@pytest.fixture(scope="module")
def big_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ~6 MB PNG of noise, 1800x1200: over Claude's 5 MB and 1568 px, within OpenAI's and the demo's limits."""
    path = tmp_path_factory.mktemp("big") / "photo.png"
    noise_image((1800, 1200)).save(path, "PNG", compress_level=1)
    assert 5.5e6 < path.stat().st_size < 7e6
    return path


@pytest.fixture
def small_png(tmp_path: Path) -> Path:
    path = tmp_path / "small picture.png"
    path.write_bytes(png_bytes(96, 64))
    return path


def three_backends_team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The claude + openai + demo team, read from YAML as the app reads --config (fake keys: nothing is called)."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-fake")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-fake")
    config = tmp_path / "team.yaml"
    config.write_text(TEAM_YAML)
    return read_team(config)


def app_on(tmp_path: Path, orchestrator: Any, team: Any = None) -> MassGenApp:
    """The real app on a scripted (or given) team; saving and scratch folders under tmp_path."""
    if team is None:
        app = scripted_app(orchestrator, output_dir=tmp_path / "out")
        app.options.scratch_dir = tmp_path
        return app
    options = AppOptions(team=team, output_dir=tmp_path / "out", scratch_dir=tmp_path,
                         orchestrator_factory=lambda config, session: orchestrator)
    return MassGenApp(options)


def bar_of(app: MassGenApp) -> AttachmentBar:
    return app.main.query_one(AttachmentBar)


def chip_lines(chip: AttachmentChip) -> list[str]:
    return [str(s.render()) for s in chip.query(Static) if not isinstance(s, RemoveMark)]


async def send(pilot: Any, app: MassGenApp, text: str) -> None:
    """Put `text` in the prompt and press Enter (typing it key by key is slow and tested elsewhere)."""
    prompt = app.screen.query_one(PromptInput)
    await wait_until(pilot, lambda: prompt.has_focus)
    prompt.value = text
    await pilot.press("enter")


async def attach_by_paste(pilot: Any, app: MassGenApp, text: str, count: int = 1) -> None:
    app.post_message(events.Paste(text))
    bar = bar_of(app)
    await wait_until(pilot, lambda: len(bar.chips) == count and not bar.has_class("-empty"))
    await pilot.pause()


async def test_a_bracketed_paste_of_a_quoted_path_attaches_and_the_prompt_stays_empty(tmp_path, small_png):
    app = app_on(tmp_path, ScriptedOrchestrator([]))
    async with app.run_test(size=(160, 48)) as pilot:
        await team_ready(pilot, app)
        bar = bar_of(app)
        assert bar.has_class("-empty") and bar.region.height == 0  # no room taken while empty
        await attach_by_paste(pilot, app, f"'{small_png}' ")  # GNOME Terminal's drop: quoted, trailing space
        assert app.main.query_one(PromptInput).value == ""
        [chip] = bar.chips
        assert chip.attachment.path == small_png and chip_lines(chip)[0] == "▣ small picture.png"
        assert not bar.has_class("-empty") and bar.region.height > 0


async def test_a_drop_while_a_panel_has_focus_still_attaches(tmp_path, small_png):
    app = app_on(tmp_path, ScriptedOrchestrator([]))
    async with app.run_test(size=(160, 48)) as pilot:
        await team_ready(pilot, app)
        app.main.panels[1].log_view.focus()
        await pilot.pause()
        await attach_by_paste(pilot, app, str(small_png))  # kitty/Alacritty: the raw path
        assert bar_of(app).attachments[0].path == small_png


async def test_an_ordinary_paste_stays_text(tmp_path, small_png):
    app = app_on(tmp_path, ScriptedOrchestrator([]))
    async with app.run_test(size=(160, 48)) as pilot:
        await team_ready(pilot, app)
        prompt = app.main.query_one(PromptInput)
        await wait_until(pilot, lambda: prompt.has_focus)
        app.post_message(events.Paste(f"what is in {small_png}?"))
        await wait_until(pilot, lambda: prompt.value != "")
        assert prompt.value == f"what is in {small_png}?" and bar_of(app).attachments == []


async def test_at_path_on_submit_attaches_and_sends_with_the_task(tmp_path, small_png):
    orch = ScriptedOrchestrator([status("planner", "working")])
    app = app_on(tmp_path, orch)
    async with app.run_test(size=(160, 48)) as pilot:
        await team_ready(pilot, app)
        app.main.attach.cwd = tmp_path
        await send(pilot, app, 'describe @"small picture.png" please')
        await wait_until(pilot, lambda: orch.tasks)
        assert orch.tasks == ["describe small picture.png please"]
        assert [[a.path for a in sent] for sent in orch.attachments] == [[small_png]]  # as the bar checked them
        assert bar_of(app).attachments == []  # cleared once sent
        assert app.history.entries[-1] == 'describe @"small picture.png" please'


async def test_a_path_typed_as_keystrokes_attaches_without_sending(tmp_path, small_png):
    orch = ScriptedOrchestrator([])
    app = app_on(tmp_path, orch)
    async with app.run_test(size=(160, 48)) as pilot:
        await team_ready(pilot, app)
        app.main.attach.home = tmp_path  # a short path to type: ~/small picture.png
        await type_prompt(pilot, "~/small\\ picture.png")  # a drop typed as keystrokes (no bracketed paste), Enter
        await wait_until(pilot, lambda: bar_of(app).attachments)
        assert bar_of(app).attachments[0].path == small_png
        assert orch.tasks == [] and app.main.query_one(PromptInput).value == ""


async def test_a_missing_file_is_a_toast_and_the_text_stays_to_be_fixed(tmp_path):
    orch = ScriptedOrchestrator([])
    app = app_on(tmp_path, orch)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await team_ready(pilot, app)
        await send(pilot, app, f"look at @{tmp_path}/gone.png")
        await wait_until(pilot, lambda: app._notifications)
        [toast] = list(app._notifications)
        assert "gone.png" in toast.message and "not found" in toast.message and "\n" not in toast.message
        assert orch.tasks == [] and bar_of(app).attachments == []
        assert app.main.query_one(PromptInput).value == f"look at @{tmp_path}/gone.png"


async def test_the_picker_attaches_the_chosen_file(tmp_path, small_png):
    app = app_on(tmp_path, ScriptedOrchestrator([]))
    async with app.run_test(size=(160, 48)) as pilot:
        await team_ready(pilot, app)
        app.main.attach.cwd = tmp_path
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, FilePicker))
        tree = app.screen.query_one(PickerTree)
        await wait_until(pilot, lambda: any(n.data.path == small_png for n in tree.root.children))
        tree.move_cursor(next(n for n in tree.root.children if n.data.path == small_png))
        await pilot.press("enter")
        await wait_until(pilot, lambda: bar_of(app).attachments)
        assert app.screen is app.main and bar_of(app).attachments[0].path == small_png


async def test_enter_previews_a_chip_and_delete_removes_it(tmp_path, small_png):
    app = app_on(tmp_path, ScriptedOrchestrator([]))
    async with app.run_test(size=(160, 48)) as pilot:
        await team_ready(pilot, app)
        await attach_by_paste(pilot, app, f"'{small_png}'")
        bar_of(app).chips[0].focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ViewerScreen) and app.screen.image is not None)
        assert app.screen.item.path == str(small_png)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)
        bar_of(app).chips[0].focus()
        await pilot.press("delete")
        await wait_until(pilot, lambda: not bar_of(app).chips)
        assert bar_of(app).has_class("-empty") and app.main.query_one(PromptInput).has_focus


async def test_verdicts_for_a_claude_openai_demo_team_fit_only_the_claude_copy(tmp_path, monkeypatch, big_png):
    team = three_backends_team(tmp_path, monkeypatch)
    app = app_on(tmp_path, ScriptedOrchestrator([]), team)
    async with app.run_test(size=(160, 48)) as pilot:
        await team_ready(pilot, app)
        await attach_by_paste(pilot, app, f"'{big_png}' ")
        lines = chip_lines(bar_of(app).chips[0])
        assert lines[0] == "▣ photo.png" and lines[1].startswith("PNG · 6.") and lines[1].endswith("1800x1200")
        assert lines[2].startswith("⤓ claude fitted to 1568x1045")
        assert lines[3:] == ["✓ openai as is", "✓ demo as is"]


async def test_sending_gives_each_demo_agent_what_its_limits_take(tmp_path, big_png):
    config = tmp_path / "team.yaml"
    config.write_text("agents:\n  - id: roomy\n    backend: {type: demo}\n"
                      "  - id: tight\n    backend: {type: demo}\n    media_limits: {image: 1MB}\n")
    roomy = ScriptedBackend([answer("a noisy picture")])
    tight = ScriptedBackend([answer("a smaller noisy picture")], media_limits={"image": "1MB"})

    def build(team_config, session):
        return Orchestrator(team_config, session=session, backends={"roomy": roomy, "tight": tight},
                            tool_runners={"roomy": None, "tight": None})

    app = MassGenApp(AppOptions(team=describe_team(load_config(config)), output_dir=tmp_path / "out",
                                scratch_dir=tmp_path, orchestrator_factory=build))
    async with app.run_test(size=(160, 48)) as pilot:
        await team_ready(pilot, app)
        await attach_by_paste(pilot, app, f"'{big_png}'")
        lines = chip_lines(bar_of(app).chips[0])
        assert lines[2] == "✓ roomy as is" and lines[3].startswith("⤓ tight fitted to")
        await send(pilot, app, "what is in the picture?")
        await wait_until(pilot, lambda: tight.requests and roomy.requests and not app.running, timeout=20)
        [sent] = roomy.media_items(0)
        assert sent["ref"].item.path == str(big_png)
        [fitted] = tight.media_items(0)
        assert fitted["ref"].item.path is None and fitted["ref"].item.size_bytes <= 1024 * 1024
        notes = [str(s.render()) for s in app.main.panel_for("tight").log_view.query(".note")]
        assert any(n.startswith("📎 photo.png: fitted to") for n in notes)
        assert bar_of(app).attachments == []


async def test_upload_progress_chunks_show_in_the_agent_panel(tmp_path):
    meta = MediaMetadata(mime_type="image/png", filename="photo.png")

    def upload(kind: ChunkType, sent: int) -> MultimodalStreamChunk:
        return MultimodalStreamChunk(type=kind, source="artist", media_id="up-1", media_type="image",
                                     media_encoding="file_path", media_data="/x/photo.png", media_metadata=meta,
                                     bytes_transferred=sent, total_bytes=1000)

    orch = ScriptedOrchestrator([upload(ChunkType.ATTACHMENT, 400), "hold"])
    app = app_on(tmp_path, orch)
    async with app.run_test(size=(160, 48)) as pilot:
        await team_ready(pilot, app)
        await send(pilot, app, "go")
        panel = app.main.panel_for("artist")
        await wait_until(pilot, lambda: panel.log_view.query(MediaProgress))
        progress = panel.log_view.query_one(MediaProgress)
        assert progress.percent == 40.0 and progress.text == "uploading photo.png"
        await app.run_.router.route(upload(ChunkType.ATTACHMENT_COMPLETE, 1000))
        assert progress.percent == 100.0 and progress.text == "uploaded photo.png"
        app.cancel_run()
        await wait_until(pilot, lambda: not app.running)
        assert progress.text == "uploaded photo.png"  # not "not finished" when the run ended


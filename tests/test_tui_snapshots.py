"""Snapshots of the real screens (pytest-textual-snapshot), from scripted streams: fixed size, no clocks.

Pictures use textual-image's half-cell renderer so that they are in colour and the same on every run.
Update with `pytest tests/test_tui_snapshots.py --snapshot-update`, then look at the SVGs before accepting.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from textual import events
from textual.widgets import Input

from widgets.attachment_bar import AttachmentBar
from widgets.media_progress import MediaProgress
from widgets.media_view import MediaView

from media_samples import wav_bytes
from tui_fakes import (
    UI_TEST_MARKS,
    PLAN_MD,
    ScriptedOrchestrator,
    error,
    full_run,
    image,
    png_bytes,
    progress,
    scripted_app,
    status,
    team_ready,
    tool_calls,
    wait_until,
    words,
)

pytestmark = UI_TEST_MARKS
WIDE = (160, 48)


@pytest.fixture
def poster(tmp_path: Path) -> Path:
    path = tmp_path / "poster.png"
    path.write_bytes(png_bytes(320, 200))
    return path


def settled(orchestrator: ScriptedOrchestrator, final: bool = False):
    """run_before: wait for the script (and every picture) to be on screen; stop the cursor blinking."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await team_ready(pilot, app)
        if final:
            await wait_until(pilot, lambda: bool(app.finals) and app.screen is not app.main)
        else:
            await wait_until(pilot, lambda: orchestrator.holding)
        await wait_until(pilot, lambda: all(v.picture is not None or v.error for v in app.screen.query(MediaView)))
        await wait_until(pilot, lambda: all(p.partial is not None or not p.partials_seen
                                            for p in app.screen.query(MediaProgress)))
        await wait_until(pilot, lambda: bool(app.screen.query("Footer")))
        for field in app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause(0.4)  # panels hand text to the screen 20 times a second: let the last batch land

    return run_before


def task_app(orchestrator: ScriptedOrchestrator, tmp_path: Path):
    """The app on the scripted team, started on a task; anything it saves goes under tmp_path."""
    return scripted_app(orchestrator, prompt="design a poster", output_dir=tmp_path / "out")


def streaming_script() -> list:
    return [
        status("planner", "streaming"), status("artist", "working", "turn 1"), status("critic", "streaming"),
        *words("planner", PLAN_MD),
        *words("critic", "Reading the plan first; **no answers** to vote on yet."),
        tool_calls("artist", {"id": "c1", "name": "generate_image", "arguments": {"prompt": "a night market"}}),
        "hold",
    ]


def test_main_screen_while_streaming(snap_compare, tmp_path: Path):
    orch = ScriptedOrchestrator(streaming_script())
    assert snap_compare(task_app(orch, tmp_path), terminal_size=WIDE, run_before=settled(orch))


def test_main_screen_with_an_image(snap_compare, poster: Path, tmp_path: Path):
    orch = ScriptedOrchestrator([status("artist", "streaming"), *words("artist", "Here is the poster:"),
                                 image("artist", "img-1", path=poster), status("artist", "answered", "agent2.1"),
                                 "hold"])
    assert snap_compare(task_app(orch, tmp_path), terminal_size=WIDE, run_before=settled(orch))


def test_main_screen_with_progress_bars(snap_compare, tmp_path: Path):
    orch = ScriptedOrchestrator([
        status("artist", "working"), status("critic", "working"),
        *words("artist", "Drawing two versions."),
        progress("artist", "img-1", 35.0), progress("artist", "img-2", 70.0, partial=png_bytes(160, 100, seed=2)),
        progress("critic", "aud-1", 10.0),
        "hold",
    ])
    assert snap_compare(task_app(orch, tmp_path), terminal_size=WIDE, run_before=settled(orch))


def test_final_answer(snap_compare, poster: Path, tmp_path: Path):
    orch = ScriptedOrchestrator(full_run(poster))
    assert snap_compare(task_app(orch, tmp_path), terminal_size=WIDE,
                        run_before=settled(orch, final=True))


def test_agent_error(snap_compare, tmp_path: Path):
    message = "critic (claude): rate limited (HTTP 429); gave up after 3 retries"
    orch = ScriptedOrchestrator([
        status("planner", "streaming"), *words("planner", "Working on it."),
        status("critic", "working"), error("critic", message), status("critic", "failed", message),
        "hold",
    ])
    assert snap_compare(task_app(orch, tmp_path), terminal_size=WIDE, run_before=settled(orch))


def test_narrow_terminal(snap_compare, tmp_path: Path):
    orch = ScriptedOrchestrator(streaming_script())
    assert snap_compare(task_app(orch, tmp_path), terminal_size=(72, 40),
                        run_before=settled(orch))


def test_main_screen_with_two_attachments(snap_compare, tmp_path: Path):
    """A claude + openai + demo team and two chips: a wide image (fitted where needed) and audio (left out)."""
    wide, memo = tmp_path / "wide.png", tmp_path / "memo.wav"
    Image.linear_gradient("L").resize((3000, 2000)).convert("RGB").save(wide)
    memo.write_bytes(wav_bytes(1.0))
    team = [("claude", "claude", "claude-sonnet-4-5"), ("openai", "openai", "gpt-5.4-mini"),
            ("demo", "demo", "offline-demo")]
    app = scripted_app(ScriptedOrchestrator([]), agents=team, output_dir=tmp_path / "out")

    async def run_before(pilot) -> None:
        await team_ready(pilot, app)
        app.post_message(events.Paste(f"'{wide}' '{memo}' "))
        bar = app.main.query_one(AttachmentBar)

        def fitted() -> bool:
            """Both chips are up and every fitted copy has been made (the chips show real sizes)."""
            decisions = [d for chip in bar.chips for d in chip.decisions]
            return len(bar.chips) == 2 and all(d.fitted for d in decisions if d.action == "fit")

        await wait_until(pilot, fitted)
        await wait_until(pilot, lambda: bool(app.screen.query("Footer")))
        for field in app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)

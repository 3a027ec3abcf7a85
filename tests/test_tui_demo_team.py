"""The real app with the real orchestrator and the offline demo team (no delays): the flows end to end."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from tui.app import MassGenApp
from tui.demo_team import demo_factory, demo_options, demo_team
from tui.plain import run_plain
from tui.run_state import Phase
from widgets.final_answer import FinalAnswer
from widgets.media_progress import MediaProgress
from widgets.media_view import MediaView
from widgets.tool_call import ToolCallView

from tui_fakes import UI_TEST_MARKS, final_shown, team_ready, type_prompt, wait_until

pytestmark = UI_TEST_MARKS
TASK = "design a poster for a night market by the sea"


async def test_demo_team_runs_to_a_final_answer_and_saves(tmp_path: Path):
    out = tmp_path / "out"
    app = MassGenApp(demo_options(output_dir=out, prompt=TASK))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_until(pilot, lambda: final_shown(app), timeout=20)
        result = app.orchestrator.result
        final = app.screen.query_one(FinalAnswer).result
        assert result.status == "done" and final.winner == result.winner
        assert final.answer == result.final_answer and len(final.votes) == len(result.votes)
        assert [m.media_id for m in final.media] == [m.media_id for m in result.media]
        await pilot.press("escape")
        aliases = {panel.header.alias: panel.agent_id for panel in app.main.panels}
        assert len(aliases) == 3 and all(alias in str(app.main.panel_for(aid).header.render())
                                         for alias, aid in aliases.items())
        for vote in final.votes:  # "vote for agent2" in a panel names the agent whose header says agent2
            shown = [call.args["agent_id"] for call in app.main.panel_for(vote.voter).log_view.query(ToolCallView)
                     if call.tool_name == "vote"]
            assert aliases[shown[-1]] == vote.target
        artist = app.main.panel_for("artist")
        view = artist.log_view.query_one(MediaView)
        await wait_until(pilot, lambda: view.picture is not None)
        assert not artist.log_view.query(MediaProgress)  # the bar gave way to the picture
        assert {p.status for p in app.main.panels} <= {"done", "winner"}
        assert not out.exists()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: out.exists() and any(out.rglob("final_answer.md")))
        folder = next(out.iterdir())
        lines = (folder / "transcript.jsonl").read_text().splitlines()
        assert json.loads(lines[-1])["type"] == "complete_response"
        assert list((folder / "media").glob("*.png"))


async def test_demo_follow_up_continues_the_conversation(tmp_path: Path):
    app = MassGenApp(demo_options(output_dir=tmp_path, prompt=TASK))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_until(pilot, lambda: final_shown(app), timeout=20)
        await type_prompt(pilot, "make it darker")
        await wait_until(pilot, lambda: len(app.finals) == 2, timeout=20)
        assert [m["content"] for m in app.orchestrator.history if m["role"] == "user"] == [TASK, "make it darker"]


async def test_demo_cancel_keeps_the_stream(tmp_path: Path):
    options = demo_options(output_dir=tmp_path, prompt=TASK)
    options.orchestrator_factory = demo_factory(rate=30)
    app = MassGenApp(options)
    async with app.run_test(size=(160, 48)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: app.main.panel_for("planner").text_chunks >= 3, timeout=10)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.main.status.phase == Phase.CANCELLED, timeout=10)
        assert app.orchestrator.result.status == "cancelled"
        assert app.main.panel_for("planner").log_view.query("Markdown")
        assert not {p.status for p in app.main.panels} & {"working", "streaming", "presenting"}
        assert not app.finals


async def test_save_outputs_saves_automatically_and_says_where(tmp_path: Path):
    out = tmp_path / "auto"
    options = demo_options(output_dir=out, prompt=TASK)
    options.team.save_outputs = True
    app = MassGenApp(options)
    notes: list[str] = []
    async with app.run_test(size=(160, 48)) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await wait_until(pilot, lambda: final_shown(app), timeout=20)
        folder = next(out.iterdir())
        assert (folder / "final_answer.md").exists() and (folder / "transcript.jsonl").exists()
        assert f"Saved to {folder.resolve()}" in notes


def plain_build(team, output_dir):
    """The demo team without delays, writing its session under output_dir."""
    from massgen.session import Session

    return demo_factory(0)(team.config, Session.create(output_dir))


def test_plain_mode_streams_the_same_run_to_stdout(tmp_path: Path):
    buffer = io.StringIO()
    console = Console(file=buffer, width=120, force_terminal=False, color_system=None)
    code = run_plain(TASK, team=demo_team(), output_dir=tmp_path / "plain", console=console, build=plain_build)
    text = buffer.getvalue()
    assert code == 0
    assert "planner      │ ◐ thinking" in text
    assert "artist       │ ▣ image" in text
    assert "Winner: " in text and "Votes: " in text
    folder = next((tmp_path / "plain").iterdir())
    assert f"Session saved to {folder.resolve()}" in text.replace("\n", "")
    assert (folder / "transcript.jsonl").exists()


def test_plain_mode_wraps_the_answer_on_a_narrow_console_and_loses_no_word(tmp_path: Path):
    buffer = io.StringIO()
    console = Console(file=buffer, width=60, soft_wrap=True, force_terminal=False, color_system=None)  # run_plain's own kind
    code = run_plain(TASK, team=demo_team(), output_dir=tmp_path / "plain", console=console, build=plain_build)
    assert code == 0
    answer = next((tmp_path / "plain").iterdir()) / "final_answer.md"
    printed = buffer.getvalue().split("Votes: ", 1)[1]
    missing = [word for word in re.findall(r"[A-Za-z]{4,}", answer.read_text()) if word not in printed]
    assert not missing

"""The whole app, driven by the pilot with a scripted team: run, cancel, errors, final answer, follow-up, keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Markdown

from tui.commands import key_commands
from tui.run_state import Phase
from tui.screens.final import FinalScreen
from tui.screens.help import HelpScreen
from tui.screens.viewer import ViewerScreen
from widgets.final_answer import FinalAnswer
from widgets.media_link import MediaLink
from widgets.media_view import MediaView
from widgets.prompt_input import PromptInput

from tui_fakes import (
    UI_TEST_MARKS,
    AGENTS,
    ScriptedOrchestrator,
    complete,
    error,
    final_shown,
    full_run,
    png_bytes,
    scripted_app,
    status,
    text,
    team_ready,
    type_prompt,
    wait_until,
    words,
)

pytestmark = UI_TEST_MARKS


@pytest.fixture
def poster(tmp_path: Path) -> Path:
    path = tmp_path / "poster.png"
    path.write_bytes(png_bytes(320, 200))
    return path


async def test_a_prompt_argument_runs_the_team_and_shows_the_final_answer(poster: Path, tmp_path: Path):
    orch = ScriptedOrchestrator(full_run(poster))
    app = scripted_app(orch, prompt="design a poster", output_dir=tmp_path / "out")
    async with app.run_test(size=(160, 48)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: final_shown(app))
        assert orch.tasks == ["design a poster"]
        final = app.screen.query_one(FinalAnswer)
        assert final.result.winner == "artist"
        assert [(v.voter, v.target) for v in final.result.votes] == [("critic", "artist"), ("planner", "artist")]
        await wait_until(pilot, lambda: "night market by the sea" in final.query_one(Markdown).source)
        view = final.query_one(MediaView)
        await wait_until(pilot, lambda: view.picture is not None)
        assert view.item.path == str(poster)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)
        statuses = {p.agent_id: p.status for p in app.main.panels}
        assert statuses == {"planner": "done", "artist": "winner", "critic": "done"}
        assert app.main.status.phase == Phase.DONE and "winner artist" in app.main.status.message


async def test_escape_cancels_and_keeps_what_streamed(tmp_path: Path):
    orch = ScriptedOrchestrator([status("planner", "working"), status("artist", "working"),
                                 *words("planner", "Half of a plan that"), "hold"])
    app = scripted_app(orch, prompt="plan", output_dir=tmp_path / "out")
    async with app.run_test(size=(120, 40)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: app.main.panel_for("planner").text_chunks == 5)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.main.status.phase == Phase.CANCELLED)
        planner = app.main.panel_for("planner")
        assert planner.log_view.query_one(Markdown).source == "Half of a plan that"
        assert {p.status for p in app.main.panels} == {"cancelled"}
        assert "what streamed is kept" in app.main.status.message
        assert not isinstance(app.screen, FinalScreen)


async def test_a_team_that_does_not_stop_is_stopped_after_the_grace_period(monkeypatch: pytest.MonkeyPatch,
                                                                          tmp_path: Path):
    import tui.app as app_module

    monkeypatch.setattr(app_module, "CANCEL_GRACE_SECONDS", 0.1)
    orch = ScriptedOrchestrator([status("planner", "working"), "hold"])
    orch.cancel = lambda: None  # a team that ignores the request
    app = scripted_app(orch, prompt="plan", output_dir=tmp_path / "out")
    async with app.run_test(size=(120, 40)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: app.main.panel_for("planner").status == "working")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.main.status.phase == Phase.CANCELLED)
        assert app.main.panel_for("planner").status == "cancelled"


async def test_a_failed_agent_shows_failed_with_its_error(tmp_path: Path):
    message = "critic (claude): no API key; set ANTHROPIC_API_KEY or give backend.api_key"
    orch = ScriptedOrchestrator([status("critic", "working"), error("critic", message), status("critic", "failed"),
                                 status("planner", "working"), "hold"])
    app = scripted_app(orch, prompt="x", output_dir=tmp_path / "out")
    async with app.run_test(size=(160, 40)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: app.main.panel_for("critic").status == "failed")
        critic = app.main.panel_for("critic")
        assert critic.header.detail == message
        assert message in str(critic.log_view.query_one(".error").render())
        assert app.main.panel_for("planner").status == "working"


async def test_a_run_without_an_answer_says_so_plainly(tmp_path: Path):
    orch = ScriptedOrchestrator([status("planner", "working"), error("planner", "connection refused"),
                                 status("planner", "failed", "connection refused"),
                                 complete(None, "", status_word="failed",
                                          detail="no agent gave an answer (planner: connection refused)")])
    app = scripted_app(orch, prompt="x", output_dir=tmp_path / "out")
    async with app.run_test(size=(120, 40)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: app.main.status.phase == Phase.NO_ANSWER)
        assert app.main.status.text() == "No answer: no agent gave an answer (planner: connection refused)"
        assert not app.finals and not isinstance(app.screen, FinalScreen)
        assert app.main.panel_for("artist").status == "idle"  # never started: not shown as working


async def test_an_orchestrator_error_is_not_a_crash(tmp_path: Path):
    class Broken(ScriptedOrchestrator):
        def run(self, task, attachments=()):
            raise ValueError("artist (openai): no API key; set OPENAI_API_KEY or give backend.api_key")

    app = scripted_app(Broken([]), prompt="x", output_dir=tmp_path / "out")
    async with app.run_test(size=(120, 40)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: app.main.status.phase == Phase.FAILED)
        assert "set OPENAI_API_KEY" in app.main.status.message


async def test_follow_up_continues_the_conversation(poster: Path, tmp_path: Path):
    second = [status("planner", "working"), text("planner", "Bigger lanterns."),
              complete("planner", "Bigger lanterns it is.")]
    orch = ScriptedOrchestrator(scripts=[full_run(poster), second])
    app = scripted_app(orch, prompt="design a poster", output_dir=tmp_path / "out")
    async with app.run_test(size=(160, 48)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: final_shown(app))
        await type_prompt(pilot, "make the lanterns bigger")
        await wait_until(pilot, lambda: len(app.finals) == 2)
        assert orch.tasks == ["design a poster", "make the lanterns bigger"]
        await wait_until(pilot, lambda: final_shown(app) and app.screen.turn == 2)
        assert app.screen.query_one(FinalAnswer).result.answer == "Bigger lanterns it is."
        turns = [str(w.render()) for w in app.main.panel_for("planner").log_view.query(".turn")]
        assert turns == ["── turn 1: design a poster", "── turn 2: make the lanterns bigger"]


async def test_prompt_history_and_busy_team(tmp_path: Path):
    orch = ScriptedOrchestrator(scripts=[[status("planner", "working"), "hold"]])
    app = scripted_app(orch, output_dir=tmp_path / "out")
    async with app.run_test(size=(120, 40)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: app.orchestrator is not None)
        prompt = app.main.query_one(PromptInput)
        await type_prompt(pilot, "first task")
        await wait_until(pilot, lambda: app.running)
        await type_prompt(pilot, "second task")  # refused while the team works; the text stays
        await pilot.pause()
        assert orch.tasks == ["first task"] and prompt.value == "second task"
        prompt.value = ""
        await pilot.press("up")
        assert prompt.value == "first task"


async def test_maximise_by_key_and_by_clicking_the_header(tmp_path: Path):
    orch = ScriptedOrchestrator([status("planner", "working"), "hold"])
    app = scripted_app(orch, prompt="x", output_dir=tmp_path / "out")
    async with app.run_test(size=(160, 40)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: len(app.main.panels) == 3)
        grid = app.main.grid
        await pilot.press("ctrl+o")
        await pilot.pause()
        visible = [p.agent_id for p in app.main.panels if p.display]
        assert visible == ["planner"] and app.main.panel_for("planner").region.width > 150
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert [p.agent_id for p in app.main.panels if p.display] == ["artist"]
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert grid.maximised is None and all(p.display for p in app.main.panels)
        await pilot.click(app.main.panel_for("critic").header)
        await pilot.pause()
        assert grid.maximised == "critic"


async def test_narrow_terminal_stacks_panels_and_scrolls(tmp_path: Path):
    orch = ScriptedOrchestrator([status("planner", "working"), "hold"])
    app = scripted_app(orch, prompt="x", output_dir=tmp_path / "out")
    async with app.run_test(size=(70, 40)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: len(app.main.panels) == 3)
        await pilot.pause()
        xs = {p.region.x for p in app.main.panels if p.region.height}
        assert len(xs) == 1
        assert app.main.grid.max_scroll_y > 0


async def test_every_footer_key_is_in_the_command_palette(poster: Path, tmp_path: Path):
    orch = ScriptedOrchestrator(full_run(poster))
    app = scripted_app(orch, prompt="x", output_dir=tmp_path / "out")
    async with app.run_test(size=(200, 48)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: final_shown(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)
        shown = {b.binding.action for b in app.main.active_bindings.values() if b.binding.show}
        palette = {c.action for c in key_commands(app.main)}
        assert shown - {"command_palette"} <= palette
        assert {"cancel", "final", "images", "maximise", "next_panel", "save", "toggle_theme", "help", "quit"} <= shown
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"zoom")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.main.grid.maximised is not None)


async def test_help_screen_lists_the_keys(tmp_path: Path):
    orch = ScriptedOrchestrator([])
    app = scripted_app(orch, output_dir=tmp_path / "out")
    async with app.run_test(size=(120, 40)) as pilot:
        await team_ready(pilot, app)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        source = app.screen.query_one(Markdown).source
        for key in ("ctrl+s", "escape", "ctrl+o", "ctrl+f", "f1"):
            assert f"`{key}`" in source
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)


async def test_theme_toggles_between_light_and_dark(tmp_path: Path):
    app = scripted_app(ScriptedOrchestrator([]), output_dir=tmp_path / "out")
    async with app.run_test(size=(100, 30)) as pilot:
        await team_ready(pilot, app)
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is dark


async def test_image_viewer_opens_steps_and_saves(tmp_path: Path):
    poster = tmp_path / "big.png"
    poster.write_bytes(png_bytes(1600, 1000))
    second = tmp_path / "second.png"
    second.write_bytes(png_bytes(200, 200, seed=3))
    from tui_fakes import image

    orch = ScriptedOrchestrator([image("artist", "a", path=poster), image("artist", "b", path=second), "hold"])
    out = tmp_path / "out"
    app = scripted_app(orch, prompt="x", output_dir=out)
    async with app.run_test(size=(160, 60)) as pilot:
        await team_ready(pilot, app)
        log = app.main.panel_for("artist").log_view
        await wait_until(pilot, lambda: len(app.media) == 2 and len(log.query(MediaView)) == 2)
        view = log.query(MediaView).first()
        await wait_until(pilot, lambda: view.picture is not None)
        await pilot.pause(0.1)
        await pilot.click(view.picture)
        await wait_until(pilot, lambda: isinstance(app.screen, ViewerScreen))
        viewer = app.screen
        await wait_until(pilot, lambda: viewer.image is not None)
        assert viewer.item.path == str(poster) and max(viewer.image.size) == 160  # decoded for this screen, once
        await pilot.press("right")
        await wait_until(pilot, lambda: viewer.item.path == str(second) and viewer.image.size == (160, 160))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any(out.rglob("*.png")))
        saved = next(out.rglob("*.png"))
        assert saved.read_bytes() == second.read_bytes()
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)


async def test_ctrl_s_saves_the_session_and_says_where(tmp_path: Path):
    out = tmp_path / "out"
    orch = ScriptedOrchestrator([status("planner", "working"), text("planner", "hi")])
    app = scripted_app(orch, prompt="x", output_dir=out)
    notes: list[str] = []
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await team_ready(pilot, app)
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await wait_until(pilot, lambda: app.main.status.phase == Phase.NO_ANSWER)
        assert not out.exists()  # save_outputs is off: nothing written until asked
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: notes)
        folders = [p for p in out.iterdir() if p.is_dir()]
        assert len(folders) == 1 and notes == [f"Saved to {folders[0].resolve()}"]


async def test_save_outputs_writes_the_session_from_the_start(tmp_path: Path):
    out = tmp_path / "out"
    orch = ScriptedOrchestrator([status("planner", "working"), "hold"])
    app = scripted_app(orch, prompt="x", output_dir=out, save_outputs=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: app.running)
        assert app.keeper.automatic and app.keeper.session.folder.parent == out.resolve()


@pytest.mark.parametrize("mode, widget", [("none", MediaLink), ("thumbnail", MediaView)])
async def test_image_display_modes_are_honoured(poster: Path, mode: str, widget: type, tmp_path: Path):
    from tui_fakes import image

    orch = ScriptedOrchestrator([image("artist", "a", path=poster), "hold"])
    app = scripted_app(orch, prompt="x", image_mode=mode, output_dir=tmp_path / "out")
    async with app.run_test(size=(120, 40)) as pilot:
        await team_ready(pilot, app)
        log = app.main.panel_for("artist").log_view
        await wait_until(pilot, lambda: app.media and log.query(widget))
        shown = log.query_one(widget)
        if isinstance(shown, MediaView):
            await wait_until(pilot, lambda: shown.picture is not None)
            assert shown.picture.region.height <= 6
        else:
            assert "poster.png" in str(shown.render())


async def test_the_notice_says_which_team_runs(tmp_path: Path):
    app = scripted_app(ScriptedOrchestrator([]), notice="Offline demo team (no API keys found).",
                       output_dir=tmp_path / "out")
    async with app.run_test(size=(120, 40)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: app.main.status.phase == Phase.READY)
        assert "Offline demo team" in str(app.main.query_one("#notice").render())
        assert app.main.status.message == f"{len(AGENTS)} agents · type a task and press Enter"


async def test_history_folded_while_streaming_is_all_back_when_the_run_ends(tmp_path: Path):
    paragraphs = "".join(f"Paragraph {n} of a long plan.\n\n" for n in range(120))
    orch = ScriptedOrchestrator([status("planner", "working"), *words("planner", paragraphs), 3.0])
    app = scripted_app(orch, prompt="plan", output_dir=tmp_path / "out")
    async with app.run_test(size=(120, 30)) as pilot:
        await team_ready(pilot, app)
        log = app.main.panel_for("planner").log_view
        await wait_until(pilot, lambda: any(not block.display for block in log.walk_children()))  # while it streams
        await wait_until(pilot, lambda: app.main.status.phase != Phase.RUNNING, timeout=20)
        await pilot.pause(0.2)
        hidden = [block for block in log.walk_children() if not block.display and not block.has_class("folded")]
        assert not hidden, [(type(b).__name__, b.parent and type(b.parent).__name__) for b in hidden][:5]
        assert not [note for note in log.query(".folded") if note.display]
        assert log.scroll_y == log.max_scroll_y > 0  # still at the end of the stream
        before = log.max_scroll_y
        for n in range(6):  # what comes later (an image edit's new version) is followed into view
            await app.main.panel_for("planner").add_note(f"later {n}")
        await pilot.pause(0.2)
        assert log.max_scroll_y > before and log.scroll_y == log.max_scroll_y


@pytest.mark.parametrize("size, rows", [((160, 48), 3), ((80, 24), 1)])
async def test_a_long_notice_keeps_to_one_line_on_a_short_terminal(tmp_path: Path, size: tuple[int, int], rows: int):
    text = "Offline demo team (no API keys found). " + "To use real models, set a provider key. " * 12
    app = scripted_app(ScriptedOrchestrator([]), notice=text, output_dir=tmp_path / "out")
    async with app.run_test(size=size) as pilot:
        await team_ready(pilot, app)
        await pilot.pause(0.1)
        notice = app.main.query_one("#notice")
        assert notice.outer_size.height == rows and notice.tooltip == text  # the whole text on hover

"""Editing an image in the real app: `/edit` and the `e` key (in a panel, the viewer or on the final-answer
screen) continue the image's thread (demo backend), the new version appears in the same panel as "v2 of …" and
in the viewer beside the old one; a lost thread says so and offers to start again from the image itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from massgen.media.words import short_label, version_label
from massgen.stream_chunk import ChunkType, MediaMetadata, MultimodalStreamChunk
from tui.app import MassGenApp
from tui.demo_team import demo_options
from tui.screens.edit_dialogs import EditInstruction, RestartOffer
from tui.screens.final import FinalScreen
from tui.screens.viewer import ViewerScreen
from widgets.final_answer import FinalAnswer
from widgets.media_view import MediaView
from widgets.prompt_input import PromptInput

from refine_helpers import brightness
from tui_fakes import UI_TEST_MARKS, ScriptedOrchestrator, final_shown, png_bytes, scripted_app, team_ready, wait_until

pytestmark = UI_TEST_MARKS


def views(app: MassGenApp, agent: str) -> list[MediaView]:
    return list(app.main.panel_for(agent).log_view.query(MediaView))


async def send(pilot, app: MassGenApp, text: str) -> None:
    prompt = app.screen.query_one(PromptInput)
    prompt.focus()
    await wait_until(pilot, lambda: prompt.has_focus)
    prompt.value = text
    await pilot.press("enter")


def demo_app(tmp_path: Path) -> MassGenApp:
    """The demo team on a poster task, writing its session under tmp_path."""
    options = demo_options(output_dir=tmp_path / "out", prompt="design a poster for a night market by the sea")
    options.scratch_dir = tmp_path
    return MassGenApp(options)


async def test_edit_of_a_demo_image_makes_a_second_version_beside_the_first(tmp_path: Path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_until(pilot, lambda: final_shown(app), timeout=20)
        await pilot.press("escape")
        [first] = views(app, "artist")
        first.focus()  # the selected image
        await send(pilot, app, "/edit make it darker")
        await wait_until(pilot, lambda: app.edits.finished == 1 and len(views(app, "artist")) == 2, timeout=15)

        second = views(app, "artist")[1]
        old, new = Path(first.item.path), Path(second.item.path)
        assert new != old and old.is_file() and new.is_file()
        assert version_label(second.item) == f"v2 of {first.item.name}"
        caption = str(second.query_one(".caption").render())
        assert short_label(second.item).startswith("v2 of ") and short_label(second.item) in caption
        assert brightness(new) < 0.85 * brightness(old)  # measured from the pixels: it is darker
        history = app.keeper.session.versions_of(str(old))
        assert [(r.path, r.version, r.edited_via) for r in history] == [(str(old), 1, None),
                                                                       (str(new), 2, "continuation")]

        app.open_viewer(second.item)  # the viewer steps through both versions
        await wait_until(pilot, lambda: isinstance(app.screen, ViewerScreen) and app.screen.image is not None)
        viewer = app.screen
        assert [s.path for s in viewer.items] == [str(old), str(new)] and viewer.noun == "version"
        assert viewer.index == 1
        await pilot.press("left")
        assert viewer.item.path == str(old)

        await pilot.press("e")  # and a third version from the viewer itself
        await wait_until(pilot, lambda: isinstance(app.screen, EditInstruction))
        app.screen.query_one("#instruction").value = "brighter"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.edits.finished == 2 and len(viewer.items) == 3, timeout=15)
        assert app.screen is viewer and viewer.index == 2 and version_label(viewer.item).startswith("v3 of ")
        assert len(views(app, "artist")) == 3


async def test_an_image_without_an_edit_thread_offers_to_start_again_from_the_image(tmp_path: Path):
    picture = tmp_path / "poster.png"
    picture.write_bytes(png_bytes(160, 100))
    chunk = MultimodalStreamChunk(type=ChunkType.MEDIA, source="artist", media_type="image", media_id="img-1",
                                  media_encoding="file_path", media_data=str(picture),
                                  media_metadata=MediaMetadata(mime_type="image/png", width=160, height=100))
    app = scripted_app(ScriptedOrchestrator([chunk]), prompt="draw", output_dir=tmp_path / "out")
    app.options.scratch_dir = tmp_path
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: views(app, "artist") and not app.running)
        views(app, "artist")[0].focus()
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, EditInstruction))
        app.screen.query_one("#instruction").value = "make it darker"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RestartOffer), timeout=10)
        assert "has no edit thread" in app.screen.message and app.screen.message.endswith("(image-to-image)")
        errors = [str(s.render()) for s in app.main.panel_for("artist").log_view.query(".error")]
        assert errors == [f"✗ {app.screen.message}"]
        await pilot.press("y")
        await wait_until(pilot, lambda: len(views(app, "artist")) == 2, timeout=15)
        edited = views(app, "artist")[1].item
        assert version_label(edited) == "v2 of poster.png" and brightness(edited.path) < brightness(picture) - 10
        assert [r.edited_via for r in app.keeper.session.versions_of(str(edited.path))] == [None, "image"]


async def test_edit_with_no_image_yet_says_so(tmp_path: Path):
    app = scripted_app(ScriptedOrchestrator([]), output_dir=tmp_path / "out")
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await team_ready(pilot, app)
        await send(pilot, app, "/edit make it darker")
        await wait_until(pilot, lambda: app._notifications)
        [toast] = list(app._notifications)
        assert toast.message.startswith("No image to edit yet") and app.screen is app.main


async def test_e_on_the_final_answers_image_saves_a_second_version(tmp_path: Path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_until(pilot, lambda: final_shown(app), timeout=20)
        final = app.screen
        assert isinstance(final, FinalScreen)
        await wait_until(pilot, lambda: final.query_one(FinalAnswer).query(MediaView))
        [image] = list(final.query_one(FinalAnswer).query(MediaView))
        first = Path(image.item.path)
        before = len(views(app, "artist"))
        image.focus()
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, EditInstruction))
        app.screen.query_one("#instruction").value = "make it darker"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.edits.finished == 1 and len(views(app, "artist")) == before + 1,
                         timeout=15)

        second = views(app, "artist")[-1].item
        made = Path(second.path)
        folder = Path(app.keeper.session.folder).resolve()
        assert made != first and made.is_file()
        assert made.resolve().is_relative_to(folder)  # saved in the session folder
        assert version_label(second).startswith("v2 of ")
        assert brightness(made) < 0.85 * brightness(first)  # measured: the change asked for was made
        history = app.keeper.session.versions_of(str(first))
        assert [(r.path, r.version, r.edited_via) for r in history] == [(str(first), 1, None),
                                                                       (second.path, 2, "continuation")]

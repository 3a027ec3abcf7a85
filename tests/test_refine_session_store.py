"""The session owns the continuation store: the team's image tool keeps its continuations in the
session folder (continuations.json), and a session reopened after a restart, or moved, can still
refine its images by id, with the version history picked up from media.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from massgen.config import load_config_text
from massgen.iterate import refine_image
from massgen.demo.team import demo_config_path
from massgen.orchestrator import Orchestrator
from massgen.session import Session, SessionError

from refine_helpers import brightness, errors_of, gather, media_of, original


def fast_demo_team():
    """The shipped demo team with streaming turned up, so a whole run takes a fraction of a second."""
    text = demo_config_path().read_text(encoding="utf-8")
    text = text.replace("type: demo\n", "type: demo\n      stream_rate: 100000\n")
    return load_config_text(text, "demo.yaml")


async def _team_image(folder: Path) -> tuple[str, Path]:
    """Run the demo team once; the (continuation id, file) of the image its artist drew."""
    orch = Orchestrator(fast_demo_team(), session=Session(folder))
    async for _ in orch.run("Draw a lighthouse on a cliff"):
        pass
    await orch.aclose()
    [entry] = json.loads((folder / "media.json").read_text())
    return entry["continuation_id"], folder / entry["file"]


async def test_the_team_keeps_continuations_in_the_session_and_a_reopened_session_refines_by_id(tmp_path) -> None:
    folder = tmp_path / "session"
    cid, image = await _team_image(folder)
    saved = json.loads((folder / "continuations.json").read_text())
    [entry] = [e for e in saved["entries"] if e["id"] == cid]
    assert entry["item"]["path"] == f"media/{image.name}"  # relative: the folder can be moved

    reopened = Session.open(folder)  # as after a restart: a new Session, nothing shared in memory
    assert cid in reopened.continuations and reopened.versions_of(cid)[0].path == str(image)
    chunks = await gather(refine_image(cid, "make it darker", reopened))
    assert errors_of(chunks) == []
    [edited] = media_of(chunks)
    assert edited.source == "artist" and brightness(edited.media_data) < brightness(image) - 10
    history = reopened.versions_of(image)
    assert [(r.version, r.edited_via) for r in history] == [(1, None), (2, "continuation")]

    again = Session.open(folder)  # media.json and continuations.json both kept the new version
    assert [r.path for r in again.versions_of(cid)] == [str(image), edited.media_data]
    assert edited.media_metadata.continuation_id in again.continuations


async def test_a_moved_session_folder_still_refines_its_images(tmp_path) -> None:
    first_home = Session(tmp_path / "scratch")
    made = await original(first_home)
    shutil.copytree(first_home.folder, tmp_path / "saved")
    shutil.rmtree(first_home.folder)  # the scratch copy is gone, as after Ctrl+S and quitting

    moved = Session.open(tmp_path / "saved")
    chunks = await gather(refine_image(made.media_metadata.continuation_id, "darker", moved))
    assert errors_of(chunks) == []
    [edited] = media_of(chunks)
    assert Path(edited.media_data).parent == moved.media_dir
    assert [r.version for r in moved.versions_of(edited.media_id)] == [1, 2]


async def test_reopening_appends_to_the_media_index_instead_of_replacing_it(tmp_path) -> None:
    session = Session(tmp_path / "s")
    await original(session, "a red kite")
    reopened = Session(tmp_path / "s")
    await original(reopened, "a blue lake")
    index = json.loads((tmp_path / "s" / "media.json").read_text())
    assert [e["prompt"] for e in index] == ["a red kite", "a blue lake"]
    assert len(json.loads((tmp_path / "s" / "continuations.json").read_text())["entries"]) == 2


@pytest.mark.parametrize("name,content,expected", [
    ("continuations.json", "{not json", "continuations.json: not valid JSON"),
    ("continuations.json", '{"entries": [{"id": "demo:1"}]}', "entry 0 lacks its id and item"),
    ("media.json", "[{\"nofile\": 1}]", "media.json: expected a list of entries with a 'file'"),
])
def test_a_damaged_session_file_is_named_with_the_fix(tmp_path, name, content, expected) -> None:
    (tmp_path / name).write_text(content)
    with pytest.raises(SessionError) as caught:
        Session.open(tmp_path)
    text = str(caught.value)
    assert expected in text and ("delete" in text or "move it away" in text) and "\n" not in text


def test_opening_a_folder_that_does_not_exist_says_so(tmp_path) -> None:
    with pytest.raises(SessionError, match="no session folder there"):
        Session.open(tmp_path / "missing")


async def test_an_agent_editing_its_image_through_its_tool_adds_a_version(tmp_path) -> None:
    from massgen.orchestrator.agent_tools import GenerationTools

    session = Session(tmp_path / "s")
    entry = {"name": "draw", "type": "image_generation", "config": {"backend": "demo", "caption": False}}
    tools = GenerationTools.for_agent([entry], session)

    async def emit(chunk):
        pass

    made = (await tools.run({"id": "1", "name": "draw", "arguments": {"prompt": "a boat", "size": "64x48"}},
                            "artist", emit)).media[0]
    first = await session.persist_media(made)  # as the orchestrator does with every tool-made file
    cid = first.media_metadata.continuation_id
    assert cid in session.continuations  # the tool used the session's store, not a process-wide one
    second = (await tools.run({"id": "2", "name": "draw", "arguments": {"prompt": "darker", "continue_from": cid}},
                              "artist", emit)).media[0]
    history = session.versions_of(cid)
    assert [(r.path, r.version, r.edit) for r in history] == [
        (first.media_data, 1, None), (second.media_data, 2, "darker")]

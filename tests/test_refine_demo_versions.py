"""Refining a demo image through its continuation id: the new version looks as asked (measured from
its pixels), is saved beside the old one, and the session lists the whole lineage in order."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from massgen.iterate import RefineError, refine_image
from massgen.session import Session, replay
from massgen.stream_chunk import ChunkType, MediaEncoding

from refine_helpers import brightness, errors_of, gather, media_of, original


async def test_darker_makes_a_darker_second_version_beside_the_first(tmp_path) -> None:
    session = Session(tmp_path / "s")
    first = await original(session)
    chunks = await gather(refine_image(first.media_data, "make it darker", session))

    assert errors_of(chunks) == []
    [second] = media_of(chunks)
    assert [c.type for c in chunks][-1] == ChunkType.MEDIA
    assert all(c.source == "artist" for c in chunks)  # the panel of the agent that made the original
    progress = [c for c in chunks if c.type == ChunkType.MEDIA_PROGRESS]
    assert progress and {c.media_id for c in progress} == {second.media_id} != {first.media_id}
    meta = second.media_metadata
    assert meta.generator == "demo" and meta.continuation_id.startswith("demo:")
    assert meta.continuation_id != first.media_metadata.continuation_id and meta.prompt == "make it darker"

    old, new = Path(first.media_data), Path(second.media_data)
    assert old.is_file() and new.is_file() and old != new and new.parent == session.media_dir
    assert brightness(new) < brightness(old) - 10
    assert (meta.width, meta.height) == (256, 192)  # an edit keeps the size of the picture it continues

    history = session.versions_of(first.media_data)
    assert [(r.path, r.version, r.parent) for r in history] == [(str(old), 1, None), (str(new), 2, str(old))]
    assert history[1].edit == "make it darker" and history[1].edited_via == "continuation"
    assert session.versions_of(second.media_id) == history == session.versions_of(meta.continuation_id)


async def test_each_edit_continues_from_the_last_and_every_version_stays_on_disk(tmp_path) -> None:
    session = Session(tmp_path / "s")
    first = await original(session)
    [second] = media_of(await gather(refine_image(first.media_data, "darker", session)))
    [third] = media_of(await gather(refine_image(second.media_metadata.continuation_id, "brighter and brighter",
                                                 session)))
    levels = [brightness(c.media_data) for c in (first, second, third)]
    assert levels[2] > levels[1] + 10  # the third is lighter than the version it was made from

    history = session.versions_of(third.media_data)
    assert [r.version for r in history] == [1, 2, 3]
    assert [r.path for r in history] == [c.media_data for c in (first, second, third)]
    assert history[2].parent == history[1].path and {r.lineage for r in history[1:]} == {history[0].path}
    assert history[0].lineage is None  # a first version is its own lineage
    assert len({p.read_bytes() for p in session.media_dir.iterdir()}) == 3
    index = json.loads((session.folder / "media.json").read_text())
    assert [e.get("version", 1) for e in index] == [1, 2, 3]


async def test_two_edits_of_the_same_version_both_join_the_lineage(tmp_path) -> None:
    session = Session(tmp_path / "s")
    first = await original(session)
    for instruction in ("darker", "more blue"):
        assert len(media_of(await gather(refine_image(first.media_data, instruction, session)))) == 1
    history = session.versions_of(first.media_id)
    assert [(r.version, r.parent, r.edit) for r in history] == [
        (1, None, None), (2, history[0].path, "darker"), (3, history[0].path, "more blue")]


async def test_the_edit_is_recorded_in_the_transcript(tmp_path) -> None:
    session = Session(tmp_path / "s")
    first = await original(session)
    chunks = await gather(refine_image(first.media_data, "darker", session))
    replayed = [c for c in replay(session.folder) if c.type == ChunkType.MEDIA]
    assert [(c.media_id, Path(c.media_data)) for c in replayed] == [(m.media_id, Path(m.media_data))
                                                                   for m in media_of(chunks)]


async def test_an_image_from_outside_the_session_becomes_version_one_of_a_user_lineage(tmp_path) -> None:
    from PIL import Image

    outside = tmp_path / "holiday.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (200, 180, 40)).save(buffer, "JPEG")
    outside.write_bytes(buffer.getvalue())
    session = Session(tmp_path / "s")

    chunks = await gather(refine_image(outside, "darker", session, fallback=True))
    [message] = errors_of(chunks)
    assert message == "this image has no edit thread (it was not generated with a continuation id); " \
                      "starting again from the image itself"
    [edited] = media_of(chunks)
    assert edited.source == "user" and edited.media_encoding == MediaEncoding.FILE_PATH
    history = session.versions_of(edited.media_data)
    assert [r.version for r in history] == [1, 2] and history[0].agent == "user"
    first = Path(history[0].path)
    assert first.read_bytes() == outside.read_bytes() and first.parent == session.media_dir
    assert first.name == "holiday.jpg"  # a file without a prompt keeps its own name in the session
    assert history[1].edited_via == "image" and brightness(history[1].path) < brightness(outside) - 10


@pytest.mark.parametrize("media,instruction,expected", [
    ("media/nothing-here.png", "darker", "not an image of this session, an image file or a continuation id"),
    ("", "darker", "give the path, media id or continuation id"),
    ("demo:abc", "   ", "instruction: describe the change"),
])
async def test_bad_requests_raise_one_clear_line(tmp_path, media, instruction, expected) -> None:
    session = Session(tmp_path / "s")
    with pytest.raises(RefineError) as caught:
        await gather(refine_image(media, instruction, session))
    assert expected in str(caught.value) and "\n" not in str(caught.value)


async def test_a_file_that_is_not_an_image_is_refused_by_name(tmp_path) -> None:
    notes = tmp_path / "notes.png"
    notes.write_text("just words, whatever the name says")
    with pytest.raises(RefineError, match=r"notes\.png: is .*not an image"):
        await gather(refine_image(notes, "darker", Session(tmp_path / "s")))

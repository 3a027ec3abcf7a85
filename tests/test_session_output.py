"""The session folder: sanitised names, atomic writes that never overwrite, a buffered transcript that
replays, media kept on disk with continuation ids in media.json."""

from __future__ import annotations

import base64
import json
import os

import pytest
from hypothesis import given, strategies as st

from massgen.session import Session, TranscriptError, replay, safe_filename, safe_stem
from massgen.files import numbered, reserve_dir, reserve_file
from massgen.stream_chunk import (ChunkType, MediaEncoding, MediaMetadata, MediaType, MultimodalStreamChunk,
                                  TextStreamChunk)

from image_tool import png


@pytest.mark.parametrize("text, expected", [
    ("A futuristic cityscape at dusk!", "A-futuristic-cityscape-at-dusk"),
    ("../../etc/passwd", "etc-passwd"),
    ("Café ñandú", "Cafe-nandu"),
    ("...hidden", "hidden"),
    ("CON", "file-CON"),
    ("  ", "file"),
    ("日本語", "file"),
])
def test_names_from_prompts_are_sanitised(text: str, expected: str) -> None:
    assert safe_stem(text) == expected


@given(st.text(max_size=300))
def test_any_text_gives_a_safe_plain_file_name(text: str) -> None:
    name = safe_filename(text, "png")
    stem = name[: -len(".png")]
    assert name.endswith(".png") and 1 <= len(stem) <= 60
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in name)


def test_extension_from_a_model_is_cleaned() -> None:
    assert safe_filename("x", "../../sh") == "x.bin" and safe_filename("x", ".PNG") == "x.png"


def test_numbering_goes_before_the_extension() -> None:
    assert [numbered("a.md", n) for n in (1, 2, 3)] == ["a.md", "a-2.md", "a-3.md"]
    assert numbered("noext", 2) == "noext-2"


def test_reserving_never_takes_an_existing_name(tmp_path) -> None:
    (tmp_path / "final_answer.md").write_text("old")
    paths = [reserve_file(tmp_path, "final_answer.md") for _ in range(3)]
    assert [p.name for p in paths] == ["final_answer-2.md", "final_answer-3.md", "final_answer-4.md"]
    assert (tmp_path / "final_answer.md").read_text() == "old"
    folders = [reserve_dir(tmp_path / "out", "20260101-000000").name for _ in range(2)]
    assert folders == ["20260101-000000", "20260101-000000-2"]


def test_session_create_makes_a_new_timestamped_folder_each_time(tmp_path) -> None:
    one, two = Session.create(tmp_path), Session.create(tmp_path)
    assert one.folder != two.folder and one.folder.parent == two.folder.parent == tmp_path
    assert Session.create(tmp_path, name="../evil").folder.parent == tmp_path


async def test_saved_files_never_overwrite_and_leave_no_temp_files(tmp_path) -> None:
    session = Session(tmp_path)
    first = await session.save_final_answer("one")
    second = await session.save_final_answer("two")
    assert (first.name, second.name) == ("final_answer.md", "final_answer-2.md")
    assert first.read_text() == "one\n" and second.read_text() == "two\n"
    answers = [await session.save_answer("../weird id", 1, "x") for _ in range(2)]
    assert [a.name for a in answers] == ["weird-id-answer-1.md", "weird-id-answer-1-2.md"]
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


async def test_a_failed_write_leaves_neither_the_file_nor_a_temp(tmp_path, monkeypatch) -> None:
    session = Session(tmp_path)

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)  # a finished temp file cannot be put in place, either way
    monkeypatch.setattr(os, "link", disk_full)
    with pytest.raises(OSError):
        await session.save_final_answer("text")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


async def test_inline_media_is_written_with_its_real_type_and_indexed(tmp_path) -> None:
    session = Session(tmp_path)
    meta = MediaMetadata(mime_type="image/jpeg", prompt="A red boat / at sea", continuation_id="openai:resp_1",
                         generator="openai")
    chunk = MultimodalStreamChunk(type=ChunkType.MEDIA, source="artist", media_type=MediaType.IMAGE, media_id="m1",
                                  media_encoding=MediaEncoding.BASE64, media_data=base64.b64encode(png()).decode(),
                                  media_metadata=meta)
    saved = await session.persist_media(chunk)
    assert saved.media_encoding == MediaEncoding.FILE_PATH
    path = tmp_path / "media" / "artist-A-red-boat-at-sea.png"  # PNG by its bytes, not the declared JPEG
    assert saved.media_data == str(path) and path.read_bytes() == png()
    assert saved.media_metadata.mime_type == "image/png" and saved.media_metadata.width == 64
    index = json.loads((tmp_path / "media.json").read_text())
    assert index[0]["file"] == "media/artist-A-red-boat-at-sea.png"
    assert index[0]["continuation_id"] == "openai:resp_1" and index[0]["prompt"] == "A red boat / at sea"
    again = await session.persist_media(chunk)
    assert again.media_data.endswith("artist-A-red-boat-at-sea-2.png")
    assert len(json.loads((tmp_path / "media.json").read_text())) == 2


async def test_the_transcript_is_buffered_and_replays_every_chunk(tmp_path) -> None:
    session = Session(tmp_path, flush_bytes=1024)
    chunks = [TextStreamChunk(type=ChunkType.CONTENT, source="a", content=f"piece {i} " * 5) for i in range(200)]
    for chunk in chunks[:3]:
        await session.record(chunk)
    assert session.transcript_path is None  # still buffered: nothing written for a few small chunks
    for chunk in chunks[3:]:
        await session.record(chunk)
    assert session.transcript_path is not None and len(session._buffer) < 20  # flushed in blocks
    await session.close()
    assert [c.to_dict() for c in replay(tmp_path)] == [c.to_dict() for c in chunks]


async def test_partial_image_previews_are_not_kept_in_the_transcript(tmp_path) -> None:
    session = Session(tmp_path)
    preview = MultimodalStreamChunk(type=ChunkType.MEDIA_PROGRESS, source="a", media_id="m", progress_percentage=40.0,
                                    media_encoding=MediaEncoding.BASE64, media_data=base64.b64encode(png()).decode(),
                                    is_partial=True)
    await session.record(preview)
    await session.close()
    (back,) = list(replay(tmp_path))
    assert back.media_data is None and back.get_progress() == 40.0 and back.validate()


async def test_inline_media_recorded_directly_is_saved_not_inlined(tmp_path) -> None:
    session = Session(tmp_path)
    chunk = MultimodalStreamChunk(type=ChunkType.MEDIA, source="a", media_type=MediaType.IMAGE,
                                  media_encoding=MediaEncoding.BINARY, media_data=png(),
                                  media_metadata=MediaMetadata(mime_type="image/png"))
    await session.record(chunk)
    await session.close()
    assert "__bytes_b64__" not in (tmp_path / "transcript.jsonl").read_text()
    (back,) = list(replay(tmp_path))
    assert back.media_encoding == MediaEncoding.FILE_PATH and open(back.media_data, "rb").read() == png()


def test_replay_names_the_file_and_line_of_damage(tmp_path) -> None:
    good = json.dumps(TextStreamChunk(type=ChunkType.CONTENT, content="ok").to_dict())
    (tmp_path / "transcript.jsonl").write_text(good + "\n{not json\n")
    stream = replay(tmp_path / "transcript.jsonl")
    assert next(stream).content == "ok"
    with pytest.raises(TranscriptError, match=r"transcript.jsonl:2: not a chunk"):
        next(stream)
    with pytest.raises(TranscriptError, match="no transcript here"):
        list(replay(tmp_path / "nowhere"))

"""Files the previous version wrote still load as MediaItems: a session folder (media.json with
`continuation_saved`, continuations.json version 1, transcript.jsonl of `chunk.to_dict()`) and a
COMPLETE_RESPONSE whose media name their agent as `agent_id`. The samples are what that code wrote
for a demo image and one edit of it (the continuation data cut short)."""

from __future__ import annotations

import json
from pathlib import Path

from massgen.iterate import refine_image
from massgen.media import MediaItem, MediaType
from massgen.session import Session, replay
from massgen.stream_chunk import ChunkType, MultimodalStreamChunk
from tui.outcome import final_result

from image_tool import png
from refine_helpers import errors_of, gather, media_of

FIRST, SECOND = "media/20261205-103705_a-red-kite.png", "media/20261205-103705_make-it-darker.png"
OLD_MEDIA_JSON = [
    {"file": FIRST, "agent": "artist", "media_id": "fcfaa1bcdfbd473199aeb9ecb73263c2", "media_type": "image",
     "mime_type": "image/png", "continuation_id": "demo:8f6513927cf64941", "generator": "demo", "prompt": "a red kite",
     "width": 64, "height": 64, "size_bytes": 4964, "continuation_saved": True},
    {"file": SECOND, "agent": "artist", "media_id": "dc178c3edef64cd284949cad90b46f73", "media_type": "image",
     "mime_type": "image/png", "continuation_id": "demo:28ce19440ba041df", "generator": "demo",
     "prompt": "make it darker", "width": 64, "height": 64, "size_bytes": 4689, "version": 2, "parent": FIRST,
     "lineage": FIRST, "edit": "make it darker", "edited_via": "continuation", "continuation_saved": True},
]
SPEC = {"prompt": "a red kite", "seed": 17997036518395916281, "time": "day", "hue": 0.0029, "elements": ["sun"],
        "brightness": 0.75, "saturation": 1.0, "tints": [], "edits": ["make it darker"]}
OLD_CONTINUATIONS = {"version": 1, "entries": [
    {"id": "demo:28ce19440ba041df", "backend": "demo", "media_type": "image", "prompt": "make it darker",
     "model": "demo-scene-1", "path": SECOND, "provider_ref": None, "data": {"spec": SPEC, "size": [64, 64]},
     "created": 1796467025.5833068, "last_used": 1796467025.5870438},
]}  # the first image's entry has expired since: media.json still marks it as once saved
OLD_TRANSCRIPT = [
    {"kind": "multimodal", "type": "media_progress", "source": "artist", "timestamp": 1796467025.5254326,
     "text_content": "sketch", "media_type": "image", "media_metadata": {"mime_type": "image/png"},
     "media_id": "fcfaa1bcdfbd473199aeb9ecb73263c2", "progress_percentage": 40.0, "is_partial": True},
    {"kind": "multimodal", "type": "media", "source": "artist", "timestamp": 1796467025.5844436,
     "text_content": "image from demo (demo-scene-1)", "media_type": "image", "media_encoding": "file_path",
     "media_data": SECOND, "media_metadata": {
         "mime_type": "image/png", "size_bytes": 4689, "width": 64, "height": 64,
         "filename": "20261205-103705_make-it-darker.png", "continuation_id": "demo:28ce19440ba041df",
         "generator": "demo", "prompt": "make it darker"},
     "media_id": "dc178c3edef64cd284949cad90b46f73", "progress_percentage": 100.0, "is_partial": False},
]
OLD_RESULT_MEDIA = {"path": "/old/session/media/lighthouse.png", "media_type": "image", "mime_type": "image/png",
                    "agent_id": "artist", "size_bytes": 101408, "width": 1024, "height": 768,
                    "continuation_id": "demo:2d9f51789dd242f7", "generator": "demo",
                    "prompt": "An illustration of: Draw a lighthouse on a cliff",
                    "media_id": "458849b8567149c0a47852c468089f24"}


def old_session(folder: Path) -> Path:
    """A session folder laid out exactly as the previous version left it."""
    (folder / "media").mkdir(parents=True)
    for name in (FIRST, SECOND):
        (folder / name).write_bytes(png())
    (folder / "media.json").write_text(json.dumps(OLD_MEDIA_JSON, indent=1))
    (folder / "continuations.json").write_text(json.dumps(OLD_CONTINUATIONS, indent=1))
    (folder / "transcript.jsonl").write_text("".join(json.dumps(line) + "\n" for line in OLD_TRANSCRIPT))
    return folder


def test_an_old_media_index_loads_as_items_with_their_versions(tmp_path: Path) -> None:
    folder = old_session(tmp_path / "s")
    session = Session.open(folder)
    first, second = session.versions_of(SECOND)
    assert first == MediaItem("image/png", media_type=MediaType.IMAGE, width=64, height=64, size_bytes=4964,
                              continuation_id="demo:8f6513927cf64941", generator="demo", prompt="a red kite",
                              path=str(folder / FIRST), media_id="fcfaa1bcdfbd473199aeb9ecb73263c2", agent="artist")
    assert (second.version, second.parent, second.lineage) == (2, str(folder / FIRST), str(folder / FIRST))
    assert (second.edit, second.edited_via, second.path) == ("make it darker", "continuation", str(folder / SECOND))


def test_old_continuations_load_and_a_saved_id_that_is_gone_reads_as_expired(tmp_path: Path) -> None:
    session = Session.open(old_session(tmp_path / "s"))
    entry = session.continuations.get("demo:28ce19440ba041df")
    assert entry is not None and entry.data["size"] == [64, 64]
    assert (entry.item.generator, entry.item.prompt, entry.item.model) == ("demo", "make it darker", "demo-scene-1")
    assert entry.item.path == str(session.folder / SECOND) and entry.item.mime_type == "image/png"
    assert "demo:8f6513927cf64941" not in session.continuations
    assert session.continuations.forgot("demo:8f6513927cf64941")  # media.json said the store once held it


async def test_an_old_session_goes_on_refining_its_image(tmp_path: Path) -> None:
    session = Session.open(old_session(tmp_path / "s"))
    chunks = await gather(refine_image("demo:28ce19440ba041df", "make it darker", session, size="64x48"))
    assert errors_of(chunks) == []
    [third] = media_of(chunks)
    assert [i.version for i in session.versions_of(third.media_data)] == [1, 2, 3]
    again = Session.open(session.folder)  # and the new version is kept in the new format beside the old
    assert [i.version for i in again.versions_of(SECOND)] == [1, 2, 3]


def test_an_old_transcript_replays_into_items(tmp_path: Path) -> None:
    folder = old_session(tmp_path / "s")
    preview, media = replay(folder)
    assert isinstance(preview, MultimodalStreamChunk) and preview.type == ChunkType.MEDIA_PROGRESS
    assert isinstance(media, MultimodalStreamChunk) and media.to_dict() == {**OLD_TRANSCRIPT[1],
                                                                           "media_data": str(folder / SECOND)}
    item = media.item()
    assert (item.path, item.agent, item.media_id) == (str(folder / SECOND), "artist", "dc178c3edef64cd284949cad90b46f73")
    assert (item.mime_type, item.width, item.continuation_id, item.generator) == (
        "image/png", 64, "demo:28ce19440ba041df", "demo")


def test_an_old_result_names_its_media_by_agent_id(tmp_path: Path) -> None:
    response = {"status": "done", "winner": "artist", "final_answer": "A lighthouse.", "media": [OLD_RESULT_MEDIA]}
    [shown] = final_result(response, []).media
    assert (shown.agent, shown.path, shown.width, shown.media_type) == (
        "artist", "/old/session/media/lighthouse.png", 1024, MediaType.IMAGE)

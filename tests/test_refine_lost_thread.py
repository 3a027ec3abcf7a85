"""When an image's edit thread is gone (unknown id, expired, or its backend cannot run), refining says so
in one line, and offers to, or with fallback=True does, start again from the image file itself."""

from __future__ import annotations

from pathlib import Path

from massgen.generation import ContinuationStore
from massgen.iterate import offers_restart, refine_image
from massgen.session import Session
from massgen.stream_chunk import ErrorCode

from refine_helpers import brightness, errors_of, gather, media_of, original


class Clock:
    """A settable clock for the continuation store's expiry."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_an_id_unknown_to_the_session_says_so_and_starts_again_from_the_image(tmp_path) -> None:
    session = Session(tmp_path / "s")
    elsewhere = ContinuationStore()  # made before this session's store existed: the session never held its id
    first = await original(session, store=elsewhere)
    cid = first.media_metadata.continuation_id
    assert cid not in session.continuations

    chunks = await gather(refine_image(first.media_data, "make it darker", session, fallback=True))
    [message] = errors_of(chunks)
    assert message == (f"this image's edit thread ({cid}) is unknown to this session; "
                       "starting again from the image itself")
    assert chunks[0].type.value == "error" and chunks[0].source == "artist"
    assert chunks[0].error_code == ErrorCode.RESTARTING and not offers_restart(chunks[0])
    [edited] = media_of(chunks)
    assert brightness(edited.media_data) < brightness(first.media_data) - 10
    [_, record] = session.versions_of(first.media_data)
    assert (record.version, record.edited_via, record.path) == (2, "image", edited.media_data)
    assert edited.media_metadata.generator == "demo" and edited.media_metadata.continuation_id in session.continuations


async def test_without_fallback_the_message_offers_the_restart_and_nothing_is_made(tmp_path) -> None:
    session = Session(tmp_path / "s")
    first = await original(session, store=ContinuationStore())
    before = sorted(session.media_dir.iterdir())

    chunks = await gather(refine_image(first.media_data, "darker", session))
    assert len(chunks) == 1 and offers_restart(chunks[0]) and chunks[0].error_code == ErrorCode.RESTART_OFFERED
    assert errors_of(chunks)[0].endswith("; start again from the image itself (image-to-image)")
    assert sorted(session.media_dir.iterdir()) == before and len(session.versions_of(first.media_data)) == 1


async def test_an_expired_id_says_it_has_expired_then_the_image_is_edited_instead(tmp_path) -> None:
    clock = Clock()
    session = Session(tmp_path / "s", store_options={"ttl_seconds": 60, "clock": clock})
    first = await original(session)
    clock.now += 61

    chunks = await gather(refine_image(first.media_data, "make it darker", session, fallback=True))
    assert errors_of(chunks) == ["this image's edit thread has expired; starting again from the image itself"]
    [edited] = media_of(chunks)
    assert brightness(edited.media_data) < brightness(first.media_data) - 10
    assert [r.edited_via for r in session.versions_of(first.media_data)] == [None, "image"]


async def test_within_its_lifetime_the_same_id_still_continues(tmp_path) -> None:
    clock = Clock()
    session = Session(tmp_path / "s", store_options={"ttl_seconds": 60, "clock": clock})
    first = await original(session)
    clock.now += 59
    chunks = await gather(refine_image(first.media_data, "darker", session, fallback=True))
    assert errors_of(chunks) == [] and session.versions_of(first.media_data)[1].edited_via == "continuation"


async def test_a_bare_unknown_id_has_no_image_to_start_from(tmp_path) -> None:
    session = Session(tmp_path / "s")
    chunks = await gather(refine_image("demo:0123456789abcdef", "darker", session, fallback=True))
    assert errors_of(chunks) == ["this image's edit thread (demo:0123456789abcdef) is unknown to this session; "
                                 "there is no image file to start again from"]
    assert media_of(chunks) == [] and not offers_restart(chunks[0]) and chunks[0].error_code == ErrorCode.THREAD_LOST


async def test_a_backend_that_cannot_run_here_is_named_and_the_restart_uses_one_that_can(tmp_path, monkeypatch) -> None:
    from massgen.stream_chunk import ChunkType, MediaEncoding, MediaMetadata, MediaType, MultimodalStreamChunk

    from refine_helpers import SMALL

    session = Session(tmp_path / "s")
    picture = tmp_path / "from-openai.png"
    picture.write_bytes(Path((await original(Session(tmp_path / "other"))).media_data).read_bytes())
    # an image OpenAI made in an earlier run, whose key is not set now
    made = MultimodalStreamChunk(
        type=ChunkType.MEDIA, source="painter", media_type=MediaType.IMAGE, media_id="m-openai",
        media_encoding=MediaEncoding.FILE_PATH, media_data=str(picture),
        media_metadata=MediaMetadata(mime_type="image/png", continuation_id="openai:resp_old", generator="openai"))
    kept = await session.persist_media(made)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    chunks = await gather(refine_image(kept.media_data, "darker", session, fallback=True, size=SMALL))
    [message] = errors_of(chunks)
    assert "'openai'" in message and "set OPENAI_API_KEY" in message and message.endswith(
        "; starting again from the image itself")
    [edited] = media_of(chunks)
    assert edited.source == "painter" and edited.media_metadata.generator == "demo"

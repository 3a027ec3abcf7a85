"""Refining an OpenAI image (Responses API) through the real SDK against the fake provider server:
the edit sends previous_response_id, also from a session reopened after a restart; when OpenAI no
longer has the response, the image itself is edited instead (images.edit with the file)."""

from __future__ import annotations

from pathlib import Path

from massgen.generation import generate_media
from massgen.iterate import refine_image
from massgen.media import sniff
from massgen.session import Session
from massgen.stream_chunk import ChunkType

from refine_helpers import errors_of, gather, media_of

pytest_plugins = ("generation_fixtures",)


async def _openai_original(session: Session) -> tuple[str, Path]:
    stream = generate_media("a cat on a mat", backend="openai", model="gpt-5-mini", output_dir=session.media_dir,
                            store=session.continuations, source="artist")
    [made] = [c async for c in stream if c.type == ChunkType.MEDIA]
    saved = await session.persist_media(made)
    return saved.media_metadata.continuation_id, Path(saved.media_data)


async def test_a_reopened_session_refines_through_previous_response_id(provider_env, tmp_path) -> None:
    cid, image = await _openai_original(Session(tmp_path / "s"))
    assert cid.startswith("openai:resp_")

    reopened = Session.open(tmp_path / "s")
    chunks = await gather(refine_image(image, "make it orange", reopened))
    assert errors_of(chunks) == []
    [edited] = media_of(chunks)
    request = provider_env.last("openai.responses").json
    assert request["previous_response_id"] == cid.partition(":")[2]
    assert request["model"] == "gpt-5-mini" and request["input"] == "make it orange"
    assert edited.source == "artist" and edited.media_metadata.generator == "openai"
    assert edited.media_metadata.continuation_id != cid and sniff(edited.media_data).mime_type == "image/png"
    assert [(r.version, r.edited_via) for r in reopened.versions_of(image)] == [(1, None), (2, "continuation")]


async def test_a_response_openai_has_forgotten_falls_back_to_editing_the_file(provider_env, tmp_path) -> None:
    session = Session(tmp_path / "s")
    cid, image = await _openai_original(session)
    provider_env.reset()  # the provider drops its stored responses (as when it expires them)

    chunks = await gather(refine_image(cid, "make it orange", session, fallback=True))
    [message] = errors_of(chunks)
    assert message.startswith("openai no longer has this image's edit thread (openai: 400 ")
    assert message.endswith("; starting again from the image itself") and "\n" not in message
    assert provider_env.last("openai.responses").json["previous_response_id"] == cid.partition(":")[2]
    edit = provider_env.last("openai.images.edit")
    assert edit.form["image"]["data"] == image.read_bytes() and edit.form["prompt"] == "make it orange"
    [edited] = media_of(chunks)
    assert edited.media_metadata.generator == "openai" and Path(edited.media_data).is_file()
    versions = session.versions_of(image)
    assert [(r.version, r.edited_via) for r in versions] == [(1, None), (2, "image")]
    error = next(c for c in chunks if c.type == ChunkType.ERROR)
    progress = [c.media_id for c in chunks if c.type == ChunkType.MEDIA_PROGRESS]
    assert error.media_id == progress[0]  # the failed attempt's progress bar ends in the message



async def test_a_forgotten_thread_is_coded_thread_lost_and_another_failure_of_a_continuation_is_not(provider_env,
                                                                                                    tmp_path) -> None:
    from fake_providers import Reply
    from massgen.stream_chunk import ErrorCode

    session = Session(tmp_path / "s")
    cid, _ = await _openai_original(session)
    provider_env.script("openai.responses", [Reply.fault(400, message="content policy violation")])
    stream = generate_media("make it orange", continue_from=cid, output_dir=session.media_dir,
                            store=session.continuations, max_retries=0)
    [refused] = [c async for c in stream if c.type == ChunkType.ERROR]
    assert refused.error_code is None

    provider_env.reset()  # the provider forgets its responses
    stream = generate_media("make it orange", continue_from=cid, output_dir=session.media_dir,
                            store=session.continuations)
    [lost] = [c async for c in stream if c.type == ChunkType.ERROR]
    assert lost.error_code == ErrorCode.THREAD_LOST and lost.to_dict()["error_code"] == "thread_lost"

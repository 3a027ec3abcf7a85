"""Chunk vocabulary: coercion, JSON round-trips, validation per type, progress derivation."""

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from massgen.stream_chunk import (
    BaseStreamChunk,
    ChunkType,
    MediaEncoding,
    MediaMetadata,
    MediaType,
    MultimodalStreamChunk,
    TextStreamChunk,
    chunk_from_dict,
)


def roundtrip(chunk: BaseStreamChunk) -> BaseStreamChunk:
    return BaseStreamChunk.from_dict(json.loads(json.dumps(chunk.to_dict())))


def test_seed_chunk_types_all_present():
    seed_values = {
        "content", "tool_calls", "complete_message", "complete_response", "done", "error",
        "agent_status", "reasoning", "reasoning_done", "media", "media_progress",
        "attachment", "attachment_complete",
    }
    assert seed_values <= {t.value for t in ChunkType}


def test_file_id_encoding_exists():
    assert MediaEncoding("file_id") is MediaEncoding.FILE_ID


@pytest.mark.parametrize("given_value", ["media", "MEDIA", "Media", ChunkType.MEDIA])
def test_type_string_coerced(given_value):
    assert MultimodalStreamChunk(type=given_value).type is ChunkType.MEDIA


def test_media_enums_coerced_from_strings():
    chunk = MultimodalStreamChunk(type="media", media_type="image", media_encoding="URL", media_data="https://x/y.png")
    assert chunk.media_type is MediaType.IMAGE
    assert chunk.media_encoding is MediaEncoding.URL
    assert chunk.to_dict()["media_type"] == "image"


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"type": "bogus"}, "type"),
        ({"type": "media", "media_type": "hologram"}, "media_type"),
        ({"type": "media", "media_encoding": "carrier-pigeon"}, "media_encoding"),
    ],
)
def test_unknown_enum_value_lists_allowed(kwargs, field):
    with pytest.raises(ValueError) as info:
        MultimodalStreamChunk(**kwargs)
    message = str(info.value)
    assert message.startswith(f"{field}:")
    enum_cls = {"type": ChunkType, "media_type": MediaType, "media_encoding": MediaEncoding}[field]
    for member in enum_cls:
        assert member.value in message


def test_non_string_enum_value_rejected():
    with pytest.raises(ValueError):
        TextStreamChunk(type=42)


def test_metadata_dict_coerced_and_unknown_field_rejected():
    chunk = MultimodalStreamChunk(type="media", media_metadata={"mime_type": "image/png", "width": 2, "height": 3})
    assert isinstance(chunk.media_metadata, MediaMetadata)
    assert (chunk.media_metadata.width, chunk.media_metadata.height) == (2, 3)
    with pytest.raises(ValueError, match="unknown fields"):
        MultimodalStreamChunk(type="media", media_metadata={"mime_type": "image/png", "colour": "red"})


def test_bytes_roundtrip_as_base64():
    payload = bytes(range(256)) * 3
    chunk = MultimodalStreamChunk(
        type=ChunkType.MEDIA, media_type=MediaType.IMAGE, media_encoding=MediaEncoding.BINARY,
        media_data=payload, media_metadata=MediaMetadata("image/png", size_bytes=len(payload)), source="artist",
    )
    encoded = chunk.to_dict()
    json.dumps(encoded)  # serialisable without a custom encoder
    back = roundtrip(chunk)
    assert back == chunk
    assert isinstance(back.media_data, bytes) and back.media_data == payload


def test_text_chunk_roundtrip_keeps_nested_tool_calls():
    chunk = TextStreamChunk(
        type=ChunkType.TOOL_CALLS, source="critic", sequence_number=7,
        tool_calls=[{"id": "c1", "name": "vote", "arguments": {"agent_id": "agent1", "reason": "clear"}}],
    )
    back = roundtrip(chunk)
    assert isinstance(back, TextStreamChunk)
    assert back == chunk


def test_from_dict_rejects_unknown_kind_and_field():
    with pytest.raises(ValueError, match="kind"):
        chunk_from_dict({"kind": "smell", "type": "content"})
    with pytest.raises(ValueError, match="no field"):
        chunk_from_dict({"kind": "text", "type": "content", "colour": "red"})
    with pytest.raises(ValueError):
        chunk_from_dict(["not", "a", "dict"])


text_strategy = st.text(max_size=200)
text_chunks = st.builds(
    TextStreamChunk,
    type=st.sampled_from(list(ChunkType)),
    source=st.one_of(st.none(), text_strategy),
    timestamp=st.floats(min_value=0, max_value=2e9, allow_nan=False),
    sequence_number=st.one_of(st.none(), st.integers(0, 10**9)),
    content=st.one_of(st.none(), text_strategy),
    error=st.one_of(st.none(), text_strategy),
    status=st.one_of(st.none(), text_strategy),
    reasoning_delta=st.one_of(st.none(), text_strategy),
    tool_calls=st.one_of(st.none(), st.lists(st.fixed_dictionaries({
        "id": text_strategy, "name": text_strategy,
        "arguments": st.dictionaries(text_strategy, st.one_of(st.integers(), text_strategy, st.booleans()), max_size=3)}),
        max_size=3)),
)
media_chunks = st.builds(
    MultimodalStreamChunk,
    type=st.sampled_from(list(ChunkType)),
    source=st.one_of(st.none(), text_strategy),
    timestamp=st.floats(min_value=0, max_value=2e9, allow_nan=False),
    media_type=st.one_of(st.none(), st.sampled_from(list(MediaType))),
    media_encoding=st.one_of(st.none(), st.sampled_from(list(MediaEncoding))),
    media_data=st.one_of(st.none(), st.binary(max_size=300), text_strategy),
    media_metadata=st.one_of(st.none(), st.builds(
        MediaMetadata, mime_type=st.sampled_from(["image/png", "audio/wav"]),
        size_bytes=st.one_of(st.none(), st.integers(0, 10**12)),
        width=st.one_of(st.none(), st.integers(1, 10**5)),
        duration_seconds=st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)),
        continuation_id=st.one_of(st.none(), text_strategy))),
    media_id=st.one_of(st.none(), text_strategy),
    progress_percentage=st.one_of(st.none(), st.floats(0, 100, allow_nan=False)),
    is_partial=st.booleans(),
    chunk_index=st.one_of(st.none(), st.integers(0, 100)),
    total_chunks=st.one_of(st.none(), st.integers(1, 100)),
)


@given(st.one_of(text_chunks, media_chunks))
def test_every_chunk_roundtrips_through_json(chunk):
    back = roundtrip(chunk)
    assert type(back) is type(chunk)
    assert back == chunk


@pytest.mark.parametrize(
    "chunk, valid",
    [
        (TextStreamChunk(type="content", content=""), True),
        (TextStreamChunk(type="content"), False),
        (TextStreamChunk(type="tool_calls", tool_calls=[]), False),
        (TextStreamChunk(type="tool_calls", tool_calls=[{"id": "1"}]), False),
        (TextStreamChunk(type="tool_calls", tool_calls=[{"id": "1", "function": {"name": "vote"}}]), True),
        (TextStreamChunk(type="complete_message", complete_message={"role": "assistant"}), True),
        (TextStreamChunk(type="complete_message"), False),
        (TextStreamChunk(type="complete_response", response={"id": "r"}), True),
        (TextStreamChunk(type="error"), False),
        (TextStreamChunk(type="error", error="rate limited"), True),
        (TextStreamChunk(type="reasoning", reasoning_delta="hm"), True),
        (TextStreamChunk(type="reasoning_done"), False),
        (TextStreamChunk(type="reasoning_summary_done", reasoning_summary_text="s"), True),
        (TextStreamChunk(type="agent_status", status="voted"), True),
        (TextStreamChunk(type="agent_status"), False),
        (TextStreamChunk(type="done"), True),
        (TextStreamChunk(type="media"), False),
    ],
)
def test_text_validate_per_type(chunk, valid):
    assert chunk.validate() is valid


def media(**kw):
    return MultimodalStreamChunk(type="media", media_type="image", **kw)


@pytest.mark.parametrize(
    "chunk, valid",
    [
        (media(media_encoding="base64", media_data="aGk="), True),
        (media(media_encoding="base64", media_data="aGk"), False),  # not a multiple of 4
        (media(media_encoding="base64", media_data=b"hi"), False),
        (media(media_encoding="url", media_data="https://example.com/a.png"), True),
        (media(media_encoding="url", media_data="data:image/png;base64,aGk="), True),
        (media(media_encoding="url", media_data="not a url"), False),
        (media(media_encoding="binary", media_data=b"\x89PNG"), True),
        (media(media_encoding="binary", media_data="text"), False),
        (media(media_encoding="file_path", media_data="/tmp/a.png"), True),
        (media(media_encoding="file_id", media_data="file-123"), True),
        (media(media_encoding="file_id", media_data=""), False),
        (media(media_encoding="url"), False),
        (media(media_encoding="url", media_data="https://x", media_metadata=MediaMetadata("image/png", width=0)), False),
        (media(media_encoding="url", media_data="https://x", media_metadata=MediaMetadata("png")), False),
        (MultimodalStreamChunk(type="media_progress", progress_percentage=42.0), True),
        (MultimodalStreamChunk(type="media_progress", progress_percentage=142.0), False),
        (MultimodalStreamChunk(type="media_progress", bytes_transferred=5, total_bytes=10), True),
        (MultimodalStreamChunk(type="media_progress", bytes_transferred=11, total_bytes=10), False),
        (MultimodalStreamChunk(type="media_progress"), False),
        (MultimodalStreamChunk(type="media_progress", chunk_index=5, total_chunks=5), False),
        (MultimodalStreamChunk(type="attachment", attachments=[{"path": "a.png"}]), True),
        (MultimodalStreamChunk(type="attachment"), False),
        (MultimodalStreamChunk(type="attachment_complete", media_id="m1"), True),
        (MultimodalStreamChunk(type="attachment_complete"), False),
        (MultimodalStreamChunk(type="done"), True),
        (MultimodalStreamChunk(type="tool_calls"), False),
    ],
)
def test_multimodal_validate_per_type(chunk, valid):
    assert chunk.validate() is valid


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"progress_percentage": 12.5}, 12.5),
        ({"progress_percentage": 30, "bytes_transferred": 9, "total_bytes": 10}, 30.0),
        ({"bytes_transferred": 256, "total_bytes": 1024}, 25.0),
        ({"chunk_index": 0, "total_chunks": 3}, 100 / 3),
        ({"chunk_index": 1, "total_chunks": 3}, 200 / 3),
        ({"bytes_transferred": 5, "total_bytes": 0}, None),
        ({}, None),
    ],
)
def test_get_progress_derives_from_whatever_is_set(kwargs, expected):
    progress = MultimodalStreamChunk(type="media_progress", **kwargs).get_progress()
    assert progress == pytest.approx(expected) if expected is not None else progress is None


def test_complete_media_counts_as_done():
    assert media(media_encoding="url", media_data="https://x").get_progress() == 100.0


def test_importing_massgen_leaves_ui_libraries_out():
    code = (
        "import sys, massgen, massgen.stream_chunk, massgen.media.limits, massgen.backend.base, massgen.providers;"
        "bad=[m for m in ('textual','rich','openai','anthropic','google.genai') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""

"""massgen.media.MediaRef and the streamed JSON body: base64 is exact, encoded once, cached by
(path, size, mtime), streamed from disk in blocks, and bad sources are MediaErrors."""

from __future__ import annotations

import base64
import json
import os
import threading
import tracemalloc

import media_samples as ms
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from massgen.media import (
    BASE64_CACHE,
    Base64Cache,
    Base64Of,
    MediaError,
    MediaRef,
    b64_length,
    build_json_body,
    iter_json_body,
    json_body_length,
)
from massgen.media import encode as encode_module
from massgen.media.fileio import open_file
from massgen.stream_chunk import MediaType


@pytest.fixture(autouse=True)
def _fresh_cache():
    BASE64_CACHE.clear()
    yield
    BASE64_CACHE.clear()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# -- base64 is exact for any content and any block boundary -------------------------------------


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(min_size=1, max_size=5000), st.integers(min_value=1, max_value=4000))
def test_file_base64_matches_stdlib_for_any_block_size(tmp_path, data: bytes, block: int) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(data)
    raw, st_ = open_file(path)
    with raw:
        assert encode_module.encode_file(raw, st_.st_size, path, block) == _b64(data)
    ref = MediaRef.from_path(path)
    assert b"".join(ref.iter_base64(block)) == _b64(data).encode()
    assert ref.base64_length == b64_length(len(data)) == len(_b64(data))


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=9000), st.integers(min_value=1, max_value=2000))
def test_bytes_and_base64_refs_round_trip(data: bytes, block: int) -> None:
    ref = MediaRef.from_bytes(data)
    assert ref.base64() == _b64(data)
    assert b"".join(ref.iter_base64(block)) == _b64(data).encode()
    again = MediaRef.from_base64(ref.base64())
    assert again.read_bytes() == data and again.item.size_bytes == len(data)
    assert again.item.mime_type == ref.item.mime_type


@pytest.mark.parametrize("size", [4095, 4096, 4097, 4098, 10_000])
def test_base64_longer_than_the_sniff_window(size: int) -> None:
    data = ms.image_bytes("PNG", (8, 8))
    data += bytes(size - len(data))
    ref = MediaRef.from_base64(_b64(data))
    assert (ref.item.mime_type, ref.item.size_bytes) == ("image/png", size) and ref.read_bytes() == data


def test_large_file_base64_spans_many_blocks(tmp_path) -> None:
    data = os.urandom(3 * encode_module.BLOCK_BYTES + 7)
    (tmp_path / "big.bin").write_bytes(data)
    assert MediaRef.from_path(tmp_path / "big.bin").base64() == _b64(data)


# -- what a path ref knows, and encoding once ----------------------------------------------------


def test_path_ref_describes_the_file(tmp_path) -> None:
    path = tmp_path / "shot.png"
    path.write_bytes(ms.image_bytes("PNG", (40, 30)))
    ref = MediaRef.from_path(path)
    assert (ref.kind, ref.item.mime_type, ref.item.media_type, ref.item.filename) == ("path", "image/png", MediaType.IMAGE, "shot.png")
    assert ref.item.size_bytes == path.stat().st_size and (ref.item.width, ref.item.height) == (40, 30)
    assert ref.read_bytes() == path.read_bytes()
    with ref.open() as f:
        assert f.read() == path.read_bytes()
    assert ref.data_url() == "data:image/png;base64," + _b64(path.read_bytes())


def test_base64_is_encoded_once_and_shared_by_refs_to_the_same_file(tmp_path, monkeypatch) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(ms.image_bytes("PNG"))
    calls = []
    real = encode_module.encode_file
    monkeypatch.setattr("massgen.media.ref.encode_file", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = MediaRef.from_path(path)
    texts = [first.base64() for _ in range(3)] + [MediaRef.from_path(path).base64()]
    assert len(calls) == 1
    assert all(t is texts[0] for t in texts)
    threads = [threading.Thread(target=MediaRef.from_path(path).base64) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1


def test_a_changed_file_is_encoded_again(tmp_path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"first version\n")
    ref = MediaRef.from_path(path)
    assert ref.base64() == _b64(b"first version\n")
    path.write_bytes(b"second, longer version\n")
    os.utime(path, ns=(1, 2_000_000_000))
    assert ref.base64() == _b64(b"second, longer version\n")
    assert ref.item.size_bytes == len(b"second, longer version\n")


def test_a_file_that_turns_bad_is_a_media_error(tmp_path) -> None:
    path = tmp_path / "gone.png"
    path.write_bytes(ms.image_bytes("PNG"))
    ref = MediaRef.from_path(path)
    path.unlink()
    with pytest.raises(MediaError, match="gone.png: file not found"):
        ref.base64()
    path.mkdir()
    with pytest.raises(MediaError, match="is a folder"):
        ref.read_bytes()


def test_cache_is_bounded_by_total_bytes() -> None:
    cache = Base64Cache(max_bytes=100)
    cache.put(("a", 1, 1), "x" * 40)
    cache.put(("b", 1, 1), "y" * 40)
    assert cache.get(("a", 1, 1)) is not None  # a is now most recently used
    cache.put(("c", 1, 1), "z" * 40)
    assert cache.get(("b", 1, 1)) is None and cache.get(("a", 1, 1)) and cache.get(("c", 1, 1))
    assert cache.total_bytes == 80 and len(cache) == 2
    cache.put(("huge", 1, 1), "h" * 101)
    assert cache.get(("huge", 1, 1)) is None and cache.total_bytes == 80


def test_forget_drops_the_refs_copy(tmp_path) -> None:
    (tmp_path / "x.bin").write_bytes(b"abc" * 100)
    ref = MediaRef.from_path(tmp_path / "x.bin")
    ref.base64()
    ref.forget()
    BASE64_CACHE.clear()
    assert ref.base64() == _b64(b"abc" * 100)


# -- other kinds of reference --------------------------------------------------------------------


def test_bytes_ref_sniffs_and_prefers_content_over_the_declared_type() -> None:
    ref = MediaRef.from_bytes(ms.image_bytes("JPEG"), mime_type="image/png", filename="gen.png")
    assert ref.item.mime_type == "image/jpeg" and ref.item.filename == "gen.png"
    unknown = MediaRef.from_bytes(os.urandom(64) + b"\0", mime_type="audio/wav")
    assert unknown.item.mime_type == "audio/wav"


def test_bytes_ref_checks_the_content() -> None:
    with pytest.raises(MediaError, match="empty"):
        MediaRef.from_bytes(b"")
    png = ms.image_bytes("PNG", (100, 100))
    with pytest.raises(MediaError, match="gen.png: truncated PNG"):
        MediaRef.from_bytes(png[: len(png) // 2], filename="gen.png")


def test_base64_ref_accepts_data_urls_urlsafe_text_and_line_breaks() -> None:
    data = ms.image_bytes("PNG", (20, 20)) + b"\xfb\xff"  # trailing bytes give '-'/'_' in URL-safe form
    std = _b64(data)
    urlsafe = base64.urlsafe_b64encode(data).decode().rstrip("=")
    wrapped = "\n".join(std[i : i + 76] for i in range(0, len(std), 76))
    for text in (std, urlsafe, wrapped, "data:image/png;base64," + std):
        ref = MediaRef.from_base64(text)
        assert ref.base64() == std and ref.read_bytes() == data
        assert (ref.item.mime_type, ref.item.size_bytes) == ("image/png", len(data))
    assert MediaRef.from_base64(std).probed().width == 20


@pytest.mark.parametrize("text,problem", [
    ("", "empty"), ("abc*def=", "not valid base64"), ("a", "not valid base64"),
    ("data:image/png,rawtext", "without ';base64,'"),
])
def test_bad_base64_is_a_media_error(text: str, problem: str) -> None:
    with pytest.raises(MediaError, match=problem):
        MediaRef.from_base64(text)


def test_url_and_file_id_refs_have_no_bytes_here() -> None:
    url = MediaRef.from_url("https://example.org/pics/cat.webp?size=large")
    assert (url.kind, url.item.mime_type, url.item.media_type, url.item.filename) == ("url", "image/webp", MediaType.IMAGE, "cat.webp")
    assert url.item.size_bytes is None
    with pytest.raises(MediaError, match="is a URL"):
        url.base64()
    fid = MediaRef.from_file_id("file-abc123", provider="openai", mime_type="application/pdf")
    assert (fid.kind, fid.item.file_id, fid.provider, fid.item.media_type) == ("file_id", "file-abc123", "openai",
                                                                      MediaType.DOCUMENT)
    with pytest.raises(MediaError, match="provider file id"):
        fid.read_bytes()
    with pytest.raises(MediaError, match="not an http"):
        MediaRef.from_url("ftp://example.org/a.png")
    with pytest.raises(MediaError, match="empty"):
        MediaRef.from_file_id("")
    assert MediaRef.from_url("data:text/plain;base64,aGk=").read_bytes() == b"hi"


# -- the streamed JSON body ----------------------------------------------------------------------


def _payload(ref: MediaRef) -> dict:
    return {"model": "m", "messages": [{"role": "user", "content": [
        {"type": "text", "text": "what is this? ünïcödé"},
        {"type": "image", "source": {"type": "base64", "media_type": ref.item.mime_type, "data": Base64Of(ref)}},
        {"type": "image_url", "image_url": {"url": Base64Of(ref, data_url=True)}},
        {"type": "raw", "data": ref},
    ]}]}


def test_json_body_equals_the_plain_json(tmp_path) -> None:
    path = tmp_path / "p.png"
    path.write_bytes(ms.image_bytes("PNG", (50, 50)))
    ref = MediaRef.from_path(path)
    body = build_json_body(_payload(ref))
    assert len(body) == json_body_length(_payload(ref)) == sum(map(len, iter_json_body(_payload(ref))))
    parsed = json.loads(body)
    items = parsed["messages"][0]["content"]
    assert items[0]["text"] == "what is this? ünïcödé"
    assert items[1]["source"]["data"] == items[3]["data"] == _b64(path.read_bytes())
    assert items[2]["image_url"]["url"] == ref.data_url()


def test_json_body_streams_without_keeping_the_encoding(tmp_path) -> None:
    data = os.urandom(12 * 1024 * 1024)
    (tmp_path / "big.bin").write_bytes(data)
    ref = MediaRef.from_path(tmp_path / "big.bin")
    payload = {"data": Base64Of(ref)}
    encoded = b64_length(len(data))
    tracemalloc.start()
    try:
        streamed = sum(len(block) for block in iter_json_body(payload))
        stream_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        body = build_json_body(payload)
        build_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert streamed == len(body) == encoded + len('{"data":""}')
    assert stream_peak < 6 * encode_module.BLOCK_BYTES < encoded / 3, stream_peak  # a few blocks, not the file
    assert build_peak < 1.5 * encoded, build_peak
    assert ref._b64 is None  # nothing kept on the ref


def test_json_body_with_a_url_ref_is_a_media_error() -> None:
    with pytest.raises(MediaError, match="is a URL"):
        build_json_body({"x": Base64Of(MediaRef.from_url("https://example.org/a.png"))})

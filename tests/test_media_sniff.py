"""massgen.media.sniff: the type comes from the content (magic bytes), never from the name."""

from __future__ import annotations

import mimetypes
import os

import media_samples as ms
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from massgen.media import MediaError, sniff, sniff_bytes
from massgen.media.sniff import SNIFF_BYTES, media_type_for
from massgen.stream_chunk import MediaType

SAMPLES = {
    "png": (lambda: ms.image_bytes("PNG"), "image/png", MediaType.IMAGE, "png"),
    "jpeg": (lambda: ms.image_bytes("JPEG"), "image/jpeg", MediaType.IMAGE, "jpg"),
    "gif": (lambda: ms.image_bytes("GIF"), "image/gif", MediaType.IMAGE, "gif"),
    "webp": (lambda: ms.image_bytes("WEBP"), "image/webp", MediaType.IMAGE, "webp"),
    "bmp": (lambda: ms.image_bytes("BMP"), "image/bmp", MediaType.IMAGE, "bmp"),
    "tiff": (lambda: ms.image_bytes("TIFF"), "image/tiff", MediaType.IMAGE, "tiff"),
    "avif": (lambda: ms.image_bytes("AVIF"), "image/avif", MediaType.IMAGE, "avif"),
    "heic": (lambda: ms.ftyp(b"heic", b"mif1", b"heic") + ms.box(b"meta"), "image/heic", MediaType.IMAGE, "heic"),
    "heif": (lambda: ms.ftyp(b"mif1", b"mif1") + ms.box(b"meta"), "image/heif", MediaType.IMAGE, "heif"),
    "wav": (ms.wav_bytes, "audio/wav", MediaType.AUDIO, "wav"),
    "mp3": (ms.mp3_frames, "audio/mpeg", MediaType.AUDIO, "mp3"),
    "mp3-id3": (lambda: b"ID3\x04\0\0\0\0\0\0" + ms.mp3_frames(), "audio/mpeg", MediaType.AUDIO, "mp3"),
    "aac": (lambda: b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\0" * 64, "audio/aac", MediaType.AUDIO, "aac"),
    "flac": (ms.flac_bytes, "audio/flac", MediaType.AUDIO, "flac"),
    "m4a": (lambda: ms.mp4_bytes(3, b"M4A ", b"M4A ", b"mp42"), "audio/mp4", MediaType.AUDIO, "m4a"),
    "ogg-vorbis": (lambda: ms.ogg_bytes(b"\x01vorbis" + b"\0" * 22), "audio/ogg", MediaType.AUDIO, "ogg"),
    "ogg-opus": (lambda: ms.ogg_bytes(b"OpusHead" + b"\0" * 11), "audio/ogg", MediaType.AUDIO, "opus"),
    "ogg-theora": (lambda: ms.ogg_bytes(b"\x80theora" + b"\0" * 34), "video/ogg", MediaType.VIDEO, "ogv"),
    "mp4": (ms.mp4_bytes, "video/mp4", MediaType.VIDEO, "mp4"),
    "mov": (lambda: ms.mp4_bytes(2, b"qt  ", b"qt  "), "video/quicktime", MediaType.VIDEO, "mov"),
    "3gp": (lambda: ms.mp4_bytes(2, b"3gp4", b"isom", b"3gp4"), "video/3gpp", MediaType.VIDEO, "3gp"),
    "webm": (lambda: ms.ebml_bytes(b"webm"), "video/webm", MediaType.VIDEO, "webm"),
    "mkv": (lambda: ms.ebml_bytes(b"matroska"), "video/x-matroska", MediaType.VIDEO, "mkv"),
    "mpeg-ps": (lambda: b"\x00\x00\x01\xba\x44\x00\x04\x00\x04\x01" + b"\0" * 100, "video/mpeg", MediaType.VIDEO,
                "mpg"),
    "mpeg-ts": (lambda: (b"\x47\x40\x00\x10" + b"\xff" * 184) * 3, "video/mp2t", MediaType.VIDEO, "ts"),
    "flv": (lambda: b"FLV\x01\x05\x00\x00\x00\x09" + b"\0" * 100, "video/x-flv", MediaType.VIDEO, "flv"),
    "avi": (lambda: b"RIFF\x24\0\0\0AVI LIST" + b"\0" * 40, "video/x-msvideo", MediaType.VIDEO, "avi"),
    "pdf": (ms.pdf_bytes, "application/pdf", MediaType.DOCUMENT, "pdf"),
    "docx": (lambda: ms.zip_bytes({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document", MediaType.DOCUMENT, "docx"),
    "epub": (lambda: ms.zip_bytes({"mimetype": b"application/epub+zip", "a.xhtml": b"<x/>"}, "mimetype"),
             "application/epub+zip", MediaType.DOCUMENT, "epub"),
    "zip": (lambda: ms.zip_bytes({"notes/a.txt": b"hello"}), "application/zip", MediaType.FILE, "zip"),
    "text": (lambda: b"Meeting notes\nBMW and MZ are not magic here.\n", "text/plain", MediaType.DOCUMENT, "txt"),
    "text-bm": (lambda: b"BMW is a car brand, not a bitmap\n", "text/plain", MediaType.DOCUMENT, "txt"),
    "utf8": (lambda: "Grüße, 你好, привет\n".encode(), "text/plain", MediaType.DOCUMENT, "txt"),
    "latin1": (lambda: "Grüße aus Köln\n".encode("latin-1"), "text/plain", MediaType.DOCUMENT, "txt"),
    "json": (lambda: b'{"name": "x", "n": [1, 2]}\n', "application/json", MediaType.DOCUMENT, "json"),
    "svg": (lambda: b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml",
            MediaType.DOCUMENT, "svg"),
    "html": (lambda: b"<!DOCTYPE html><html><body>hi</body></html>", "text/html", MediaType.DOCUMENT, "html"),
    "random": (lambda: bytes(range(256)) * 4 + os.urandom(2048), "application/octet-stream", MediaType.FILE, "bin"),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sniff_bytes_finds_type_from_content(name: str) -> None:
    make, mime, media_type, ext = SAMPLES[name]
    found = sniff_bytes(make())
    assert (found.mime_type, found.media_type, found.extension) == (mime, media_type, ext)
    assert found.label


@pytest.mark.parametrize("name", ["png", "jpeg", "wav", "mp4", "pdf", "text"])
def test_sniff_path_ignores_the_file_name(tmp_path, name: str) -> None:
    make, mime, _, _ = SAMPLES[name]
    data = make()
    for filename in ("misleading.txt", "misleading.png", "no_extension", "x.mp3"):
        path = tmp_path / filename
        path.write_bytes(data)
        assert sniff(path).mime_type == mime
        assert sniff(str(path)).mime_type == mime


def test_sniff_path_checks_file_kind_first(tmp_path) -> None:
    with pytest.raises(MediaError, match="is a folder"):
        sniff(tmp_path)
    with pytest.raises(MediaError, match="character device"):
        sniff("/dev/zero")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(MediaError, match="empty"):
        sniff(empty)


def test_sniff_looks_only_at_the_head() -> None:
    """A PNG signature followed by megabytes of anything is still sniffed from the first bytes."""
    data = ms.image_bytes("PNG") + os.urandom(SNIFF_BYTES * 8)
    assert sniff_bytes(data).mime_type == "image/png"
    assert sniff(memoryview(data)).mime_type == "image/png"


def test_sniff_of_nothing_is_unknown() -> None:
    found = sniff_bytes(b"")
    assert not found.known and found.media_type == MediaType.FILE


@pytest.mark.parametrize(
    "mime,expected",
    [("image/png", MediaType.IMAGE), ("image/svg+xml", MediaType.DOCUMENT), ("audio/ogg", MediaType.AUDIO),
     ("video/webm", MediaType.VIDEO), ("application/pdf", MediaType.DOCUMENT), ("text/csv", MediaType.DOCUMENT),
     ("application/zip", MediaType.FILE), ("application/octet-stream", MediaType.FILE)],
)
def test_media_type_for_mime(mime: str, expected: MediaType) -> None:
    assert media_type_for(mime) == expected


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=SNIFF_BYTES + 64))
def test_sniff_bytes_never_fails_and_is_consistent(data: bytes) -> None:
    found = sniff_bytes(data)
    assert "/" in found.mime_type and found.extension and "." not in found.extension
    assert found.media_type == media_type_for(found.mime_type)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(SAMPLES)), st.binary(max_size=512))
def test_trailing_bytes_do_not_change_a_signature(name: str, tail: bytes) -> None:
    make, mime, _, _ = SAMPLES[name]
    data = make()
    if len(data) >= SNIFF_BYTES or mime in ("text/plain", "application/json", "application/octet-stream",
                                           "image/svg+xml", "text/html"):
        return  # text-like types depend on every byte of the head by design
    assert sniff_bytes(data + tail).mime_type == mime


def test_extensions_are_the_usual_ones() -> None:
    for name, (_, mime, _, ext) in SAMPLES.items():
        if mime == "application/octet-stream" or ext == "ts":  # .ts is TypeScript or Qt Linguist to most systems
            continue
        guessed = mimetypes.guess_type(f"x.{ext}", strict=False)[0]
        assert guessed is None or media_type_for(guessed) in (media_type_for(mime), MediaType.AUDIO,
                                                              MediaType.VIDEO), name

"""Writing generated files: atomic, never overwriting, sanitised names, extension from the content."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from fake_providers.generated_media import tiny_image
from massgen.generation.errors import GenerationError, GenerationInputError
from massgen.generation.output import MediaWriter, make_stem, slug, write_bytes_sync
from massgen.stream_chunk import MediaType

IMAGE = MediaType.IMAGE


def test_extension_follows_the_content_not_the_claim(tmp_path):
    jpeg = write_bytes_sync(tmp_path, "pic", tiny_image("JPEG"), IMAGE)
    webp = write_bytes_sync(tmp_path, "pic", tiny_image("WEBP"), IMAGE)
    assert (jpeg.filename, jpeg.mime_type) == ("pic.jpg", "image/jpeg")
    assert (webp.filename, webp.mime_type) == ("pic.webp", "image/webp")


def test_same_name_never_overwrites(tmp_path):
    first = write_bytes_sync(tmp_path, "pic", tiny_image("PNG", (1, 2, 3)), IMAGE)
    second = write_bytes_sync(tmp_path, "pic", tiny_image("PNG", (4, 5, 6)), IMAGE)
    assert first.filename == "pic.png" and second.filename == "pic-2.png"
    assert Path(first.path).read_bytes() == tiny_image("PNG", (1, 2, 3))


def test_concurrent_writers_of_one_name_get_distinct_files(tmp_path):
    results = []
    colours = [(i, i, i) for i in range(12)]

    def write(rgb):
        results.append(write_bytes_sync(tmp_path, "same", tiny_image("PNG", rgb), IMAGE))

    threads = [threading.Thread(target=write, args=(c,)) for c in colours]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    names = {r.filename for r in results}
    assert len(names) == 12
    assert sorted(p.read_bytes() for p in tmp_path.iterdir()) == sorted(tiny_image("PNG", c) for c in colours)


def test_wrong_kind_of_content_is_an_error_and_leaves_nothing(tmp_path):
    with pytest.raises(GenerationError, match="returned an HTML page, not image"):
        write_bytes_sync(tmp_path, "pic", b"<!doctype html><html>rate limited</html>", IMAGE)
    with pytest.raises(GenerationError, match="empty"):
        write_bytes_sync(tmp_path, "pic", b"", IMAGE)
    assert list(tmp_path.iterdir()) == []


def test_unknown_content_uses_the_declared_format(tmp_path):
    written = write_bytes_sync(tmp_path, "voice", b"\x00\x01" * 100, MediaType.AUDIO, fallback_ext="pcm")
    assert written.filename == "voice.pcm"


def test_writer_aborts_on_error_inside_the_block(tmp_path):
    with pytest.raises(RuntimeError):
        with MediaWriter(tmp_path, "x", IMAGE) as writer:
            writer.write(b"partial")
            raise RuntimeError("stream broke")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("prompt,expected", [
    ("A red fox, in the snow!", "a-red-fox-in-the-snow"),
    ("../../etc/passwd", "etc-passwd"),
    ("Crème brûlée à la café", "creme-brulee-a-la-cafe"),
    ("日本の風景", "media"),
    ("a" * 100, "a" * 40),
    ("one two three four five six seven eight nine ten", "one-two-three-four-five-six-seven-eight"),
])
def test_names_from_prompts_are_safe(prompt, expected):
    assert slug(prompt) == expected


def test_stem_is_sortable_and_numbered_in_a_batch():
    when = dt.datetime(2026, 11, 23, 9, 5, 7)
    assert make_stem("Sunset", None, when) == "20261123-090507_sunset"
    assert make_stem("Sunset", 2, when) == "20261123-090507_sunset_03"


def test_output_folder_that_is_a_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("x")
    with pytest.raises(GenerationInputError, match="is a file; choose a folder"):
        write_bytes_sync(blocker, "pic", tiny_image("PNG"), IMAGE)
    with pytest.raises(GenerationInputError, match="cannot be created"):
        write_bytes_sync(blocker / "sub", "pic", tiny_image("PNG"), IMAGE)

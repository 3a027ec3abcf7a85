"""The offline demo backend: real pictures from the prompt's words, deterministic, varied, editable,
and continued after a restart; no network at all."""

from __future__ import annotations

import base64
import io
import socket

import pytest
from PIL import Image, ImageStat

from generation_helpers import collect, media_chunks
from massgen.generation import ContinuationStore, generate_media
from massgen.demo.render import render
from massgen.demo.words import apply_edit, scene_spec
from massgen.stream_chunk import ChunkType, chunk_from_dict

pytestmark = pytest.mark.usefixtures("clean_env")
SIZE = (256, 192)

pytest_plugins = ("generation_fixtures",)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the demo backend must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def luminance(image: Image.Image) -> float:
    return ImageStat.Stat(image.convert("L")).mean[0]


def blue_share(image: Image.Image) -> float:
    r, g, b = ImageStat.Stat(image.convert("RGB")).mean
    return b / (r + g + b)


async def make(tmp_path, prompt, store, **kwargs):
    chunks = await collect(generate_media(prompt, backend="demo", output_dir=tmp_path, store=store, **kwargs))
    media = media_chunks(chunks)
    assert len(media) == 1, [c.text_content for c in chunks]
    return chunks, media[0]


async def test_a_prompt_gives_a_real_png_the_same_every_time(tmp_path):
    store = ContinuationStore()
    _, first = await make(tmp_path, "a lighthouse by the sea", store, size="320x240")
    _, second = await make(tmp_path, "a lighthouse by the sea", store, size="320x240")
    assert first.media_data != second.media_data
    with Image.open(first.media_data) as img:
        assert img.format == "PNG" and img.size == (320, 240)
    assert open(first.media_data, "rb").read() == open(second.media_data, "rb").read()
    meta = first.media_metadata
    assert (meta.mime_type, meta.width, meta.height, meta.generator) == ("image/png", 320, 240, "demo")
    assert meta.continuation_id.startswith("demo:")


def test_different_prompts_give_different_scenes():
    prompts = ["a red fox", "city skyline at night", "ocean waves", "abstract shapes", "snowy mountains", "hello"]
    pictures = [render(scene_spec(p), SIZE) for p in prompts]
    digests = {img.tobytes() for img in pictures}
    assert len(digests) == len(prompts)
    means = [tuple(round(v) for v in ImageStat.Stat(img).mean) for img in pictures]
    assert len(set(means)) == len(prompts)


def test_words_in_the_prompt_choose_the_elements():
    spec = scene_spec("a cabin in a snowy forest by the lake at night")
    assert {"house", "snow", "trees", "water", "moon"} <= set(spec["elements"])
    assert spec["time"] == "night"
    assert scene_spec("a sunset over the hills")["time"] == "sunset"
    assert scene_spec("futuristic neon city")["elements"] == sorted({"city", "neon", *scene_spec("futuristic neon city")["elements"]})


def test_named_colours_set_the_palette():
    assert scene_spec("a blue abstract")["hue"] != scene_spec("a red abstract")["hue"]


def test_darker_more_blue_and_add_a_sun_change_the_picture():
    base = scene_spec("a quiet meadow with hills")
    if "sun" in base["elements"]:
        base = apply_edit(base, "remove the sun")
    assert "sun" not in base["elements"]
    original = render(base, SIZE, caption=False)
    darker = render(apply_edit(base, "darker"), SIZE, caption=False)
    bluer = render(apply_edit(base, "more blue"), SIZE, caption=False)
    sunny = apply_edit(base, "add a sun")
    assert luminance(darker) < luminance(original) * 0.85
    assert blue_share(bluer) > blue_share(original) + 0.02
    assert "sun" in sunny["elements"]
    if base["time"] == "night":
        assert sunny["time"] == "night"
    else:
        with_sun = render(sunny, SIZE, caption=False)
        assert with_sun.tobytes() != original.tobytes()
        ground = (0, int(SIZE[1] * 0.75), SIZE[0], SIZE[1])
        assert with_sun.crop(ground).tobytes() == original.crop(ground).tobytes()  # the rest of the scene stays


async def test_an_edit_continues_the_scene_even_after_a_restart(tmp_path):
    store = ContinuationStore()
    _, first = await make(tmp_path, "boats in a harbour at sunset", store, size="256x192")
    saved = store.save(tmp_path / "session" / "continuations.json")
    restarted = ContinuationStore.load(saved)
    cid = first.media_metadata.continuation_id
    _, edited = await make(tmp_path, "darker", restarted, continue_from=cid)
    with Image.open(first.media_data) as a, Image.open(edited.media_data) as b:
        assert luminance(b) < luminance(a) * 0.9
        assert a.size == b.size == (256, 192)
    entry = restarted.get(edited.media_metadata.continuation_id)
    assert entry.data["spec"]["edits"] == ["darker"]
    assert entry.data["spec"]["prompt"] == "boats in a harbour at sunset"


async def test_an_input_image_is_edited_not_replaced(tmp_path):
    source = tmp_path / "grey.png"
    Image.new("RGB", (200, 100), (150, 150, 150)).save(source)
    _, edited = await make(tmp_path, "darker and more blue", ContinuationStore(), input_images=[str(source)])
    with Image.open(edited.media_data) as img:
        assert img.size == (200, 100)
        assert luminance(img) < 140 and blue_share(img) > 0.34


async def test_progress_carries_a_sketch_then_the_media_and_all_share_one_id(tmp_path):
    chunks, media = await make(tmp_path, "a forest", ContinuationStore(), size="400x300")
    ids = {c.media_id for c in chunks}
    assert ids == {media.media_id}
    partial = [c for c in chunks if c.type == ChunkType.MEDIA_PROGRESS and c.is_partial]
    assert len(partial) == 1
    with Image.open(io.BytesIO(base64.b64decode(partial[0].media_data))) as sketch:
        assert sketch.size == (100, 75)
    percents = [c.progress_percentage for c in chunks]
    assert percents == sorted(percents) and percents[-1] == 100.0
    for chunk in chunks:
        assert chunk.validate(), chunk
        assert chunk_from_dict(chunk.to_dict()).to_dict() == chunk.to_dict()


async def test_batch_of_four_demo_images(tmp_path):
    store = ContinuationStore()
    prompts = ["a fox", "a castle", "a river", "a robot"]
    chunks = await collect(generate_media(prompts=prompts, backend="demo", output_dir=tmp_path, store=store))
    media = media_chunks(chunks)
    assert sorted(m.media_metadata.prompt for m in media) == sorted(prompts)
    assert len({m.media_data for m in media}) == 4 and len(store) == 4
    assert all(m.media_data.endswith(".png") for m in media)

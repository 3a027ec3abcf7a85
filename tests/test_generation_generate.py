"""generate_media itself: argument checks, bounded concurrency, one failure not stopping a batch,
cancellation, and the chunk contract (media_id shared, MEDIA as a file path with metadata)."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from PIL import Image

import generation_fake_backend as fake_backend
from generation_helpers import collect, error_texts, media_chunks
from massgen.generation import ContinuationStore, generate_media, registry
from massgen.generation.errors import GenerationInputError
from massgen.stream_chunk import ChunkType, MediaEncoding

pytestmark = pytest.mark.usefixtures("clean_env")

pytest_plugins = ("generation_fixtures",)


@pytest.fixture
def counting_backend(monkeypatch):
    """The demo entry pointed at the counting stand-in backend."""
    fake_backend.reset()
    demo = registry.BACKENDS["demo"]
    replaced = dataclasses.replace(demo, modules={**demo.modules, registry.IMAGE: "generation_fake_backend"})
    monkeypatch.setitem(registry.BACKENDS, "demo", replaced)
    return fake_backend.STATE


@pytest.mark.parametrize("kwargs,message", [
    ({}, "exactly one of prompt"),
    ({"prompt": "a", "prompts": ["b"]}, "exactly one of prompt"),
    ({"prompts": []}, "non-empty list"),
    ({"prompts": "just one"}, "non-empty list"),
    ({"prompts": ["p"] * 17}, "at most 16"),
    ({"prompts": ["a", "b"], "continue_from": "demo:1"}, "give one prompt"),
    ({"prompt": "  "}, "prompt must be non-empty"),
    ({"prompt": "a", "mode": "smell"}, "mode 'smell'"),
    ({"prompt": "a", "size": "huge"}, "size 'huge' is not valid"),
    ({"prompt": "a", "duration": 0}, "more than 0"),
    ({"prompt": "a", "aspect_ratio": "wide"}, "aspect_ratio"),
    ({"prompt": "a", "continue_from": "demo:nope"}, "unknown or expired"),
])
async def test_bad_arguments_raise_before_any_chunk(tmp_path, kwargs, message):
    with pytest.raises(GenerationInputError, match=message):
        await collect(generate_media(backend="demo", output_dir=tmp_path, store=ContinuationStore(), **kwargs))


async def test_batch_runs_at_most_max_concurrent_at_once(tmp_path, counting_backend):
    chunks = await collect(generate_media(prompts=[f"p{i}" for i in range(6)], backend="demo", output_dir=tmp_path,
                                          store=ContinuationStore(), max_concurrent=2, wait=0.05))
    assert len(media_chunks(chunks)) == 6
    assert counting_backend["peak"] == 2


async def test_one_failure_is_an_error_chunk_and_the_batch_goes_on(tmp_path, counting_backend):
    chunks = await collect(generate_media(prompts=["good one", "please fail", "good two"], backend="demo",
                                          output_dir=tmp_path, store=ContinuationStore()))
    assert sorted(m.media_metadata.prompt for m in media_chunks(chunks)) == ["good one", "good two"]
    errors = [c for c in chunks if c.type == ChunkType.ERROR]
    assert [e.text_content for e in errors] == ["demo: fakebackend: refused this prompt"]
    failed_id = errors[0].media_id
    assert [c.type for c in chunks if c.media_id == failed_id] == [ChunkType.MEDIA_PROGRESS] * 2 + [ChunkType.ERROR]


async def test_closing_the_stream_cancels_work_in_flight(tmp_path, counting_backend):
    stream = generate_media(prompts=["a", "b", "c"], backend="demo", output_dir=tmp_path, store=ContinuationStore(),
                            wait=5.0)
    async for chunk in stream:
        if chunk.progress_percentage == 50.0:
            break
    await stream.aclose()
    await asyncio.sleep(0)
    assert counting_backend["running"] == 0
    assert counting_backend["cancelled"] >= 1
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith(".")]


async def test_a_missing_input_image_fails_that_item_with_its_name(tmp_path):
    chunks = await collect(generate_media("edit it", backend="demo", output_dir=tmp_path, store=ContinuationStore(),
                                          input_images=[str(tmp_path / "nowhere.png")]))
    [message] = error_texts(chunks)
    assert message.startswith("demo: ") and "nowhere.png" in message


async def test_input_images_are_fitted_to_the_backend_limits(tmp_path, monkeypatch):
    big = tmp_path / "big.png"
    Image.new("RGB", (3000, 1500), (10, 200, 10)).save(big)
    grok = registry.BACKENDS["grok"]
    seen = {}

    async def spy(job):
        seen["inputs"] = job.inputs
        if False:
            yield None

    import generation_fake_backend

    monkeypatch.setattr(generation_fake_backend, "run", spy)
    monkeypatch.setitem(registry.BACKENDS, "grok", dataclasses.replace(
        grok, modules={registry.IMAGE: "generation_fake_backend"}))
    monkeypatch.setenv("XAI_API_KEY", "k")
    await collect(generate_media("x", backend="grok", output_dir=tmp_path, store=ContinuationStore(),
                                 input_images=[str(big)]))
    [fitted] = seen["inputs"]
    import io

    with Image.open(io.BytesIO(fitted.read_bytes())) as img:
        assert max(img.size) <= grok.edit_input.max_side
    assert fitted.item.mime_type in grok.edit_input.mime_types


async def test_media_chunk_is_a_file_path_with_full_metadata(tmp_path):
    chunks = await collect(generate_media("a tree", backend="DEMO", output_dir=tmp_path, store=ContinuationStore(),
                                          source="agent_1", size="300x200"))
    [media] = media_chunks(chunks)
    assert media.media_encoding == MediaEncoding.FILE_PATH and media.source == "agent_1"
    meta = media.media_metadata
    assert (meta.width, meta.height, meta.mime_type, meta.prompt) == (300, 200, "image/png", "a tree")
    assert meta.size_bytes == (tmp_path / meta.filename).stat().st_size
    assert all(c.source == "agent_1" for c in chunks)

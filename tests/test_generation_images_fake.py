"""Every image backend through its real SDK (or HTTP API) against the fake provider server:
a batch of four images and an edit of one of them, with the files on disk sniffed as the right type."""

from __future__ import annotations

import base64

import pytest

from fake_providers import FAKE_KEY, Reply
from fake_providers.generated_media import tiny_image
from generation_helpers import collect, error_texts, media_chunks
from massgen.generation import ContinuationStore, generate_media
from massgen.generation.errors import BackendUnavailable
from massgen.media import sniff
from massgen.stream_chunk import ChunkType

pytestmark = pytest.mark.filterwarnings("ignore:The (generate_images|edit_image) method is deprecated")
PROMPTS = ["a red kite", "a blue lake", "a green hill", "a yellow sun"]

pytest_plugins = ("generation_fixtures",)


def _openai_edit(request):
    parts = request.form["image"]
    assert isinstance(parts, dict) and sniff(parts["data"]).mime_type == "image/png"
    assert request.form["prompt"] == "make it night" and request.form["stream"] == "true"


def _responses_edit(request):
    assert request.json["previous_response_id"].startswith("resp_")
    assert request.json["tools"][0]["type"] == "image_generation"


def _gemini_edit(request):
    parts = request.json["contents"][-1]["parts"]
    assert any("inlineData" in p or "inline_data" in p for p in parts)
    assert request.json["generationConfig"]["responseModalities"] == ["TEXT", "IMAGE"]


def _imagen_edit(request):
    assert "imagen-3.0-capability-001" in request.path
    assert request.json["instances"][0]["referenceImages"]


def _grok_edit(request):
    assert request.headers["content-type"].startswith("application/json")
    assert request.json["image"]["url"].startswith("data:image/jpeg;base64,")


def _openrouter_edit(request):
    content = request.json["messages"][0]["content"]
    assert content[1]["image_url"]["url"].startswith("data:image/webp;base64,")
    assert request.json["modalities"] == ["image", "text"]


def _sd_edit(request):
    assert base64.b64decode(request.json["init_images"][0])[:4] == b"\x89PNG"
    assert request.json["denoising_strength"] == 0.6


CASES = {
    # backend, model, mime on disk, generation route, edit route, edit check
    "openai-images": ("openai", None, "image/png", "openai.images.generate", "openai.images.edit", _openai_edit),
    "openai-responses": ("openai", "gpt-5-mini", "image/png", "openai.responses", "openai.responses", _responses_edit),
    "google-gemini": ("google", None, "image/png", "gemini.generate", "gemini.generate", _gemini_edit),
    "google-imagen": ("google", "imagen-4.0-generate-001", "image/jpeg", "vertex.imagen", "vertex.imagen", _imagen_edit),
    "grok": ("grok", None, "image/jpeg", "xai.images.generate", "xai.images.edit", _grok_edit),
    "openrouter": ("openrouter", None, "image/webp", "openrouter.chat", "openrouter.chat", _openrouter_edit),
    "sd": ("sd", "sdxl-turbo", "image/png", "a1111.txt2img", "a1111.img2img", _sd_edit),
    "demo": ("demo", None, "image/png", None, None, None),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_batch_of_four_then_an_edit(case, provider_env, tmp_path):
    backend, model, mime, generate_route, edit_route, check_edit = CASES[case]
    store = ContinuationStore()
    options = {"poll_interval": 0.01} if backend == "sd" else {}
    chunks = await collect(generate_media(prompts=PROMPTS, backend=backend, model=model, output_dir=tmp_path,
                                          store=store, **options))
    assert error_texts(chunks) == []
    media = media_chunks(chunks)
    assert sorted(m.media_metadata.prompt for m in media) == sorted(PROMPTS)
    for m in media:
        assert sniff(m.media_data).mime_type == mime == m.media_metadata.mime_type
        assert m.media_data.endswith("." + sniff(m.media_data).extension)
        assert m.media_metadata.continuation_id.startswith(f"{backend}:")
    if generate_route:
        assert len(provider_env.calls(generate_route)) == 4
    first = next(m for m in media if m.media_metadata.prompt == "a red kite")
    before = len(provider_env.calls(edit_route)) if edit_route else 0
    edited = await collect(generate_media("make it night", continue_from=first.media_metadata.continuation_id,
                                          output_dir=tmp_path, store=store, **options))
    assert error_texts(edited) == []
    [result] = media_chunks(edited)
    assert sniff(result.media_data).mime_type == mime
    assert result.media_metadata.generator == backend
    if edit_route:
        calls = provider_env.calls(edit_route)
        assert len(calls) == before + 1
        check_edit(calls[-1])
    assert len({m.media_data for m in media} | {result.media_data}) == 5


async def test_openai_partial_images_arrive_as_progress_before_the_file(provider_env, tmp_path):
    chunks = await collect(generate_media("a kite", backend="openai", output_dir=tmp_path, store=ContinuationStore(),
                                          partial_images=3))
    partial = [c for c in chunks if c.type == ChunkType.MEDIA_PROGRESS and c.is_partial]
    assert len(partial) == 3 and chunks[-1].type == ChunkType.MEDIA
    assert all(sniff(base64.b64decode(c.media_data)).mime_type == "image/png" for c in partial)
    request = provider_env.last("openai.images.generate").json
    assert (request["stream"], request["partial_images"], request["model"]) == (True, 3, "gpt-image-2.5-sunburst")


async def test_dall_e_asks_for_base64_and_passes_style(provider_env, tmp_path):
    await collect(generate_media("a kite", model="dall-e-3", output_dir=tmp_path, store=ContinuationStore(),
                                 config={"size": "1024x1024", "quality": "hd", "style": "vivid"}))
    request = provider_env.last("openai.images.generate").json
    assert request["response_format"] == "b64_json" and request["style"] == "vivid" and request["quality"] == "hd"
    assert "stream" not in request


async def test_responses_continuation_survives_a_forgotten_store(provider_env, tmp_path):
    store = ContinuationStore()
    [first] = media_chunks(await collect(generate_media("a cat", backend="openai", model="gpt-5-mini",
                                                        output_dir=tmp_path, store=store)))
    cid = first.media_metadata.continuation_id
    assert cid.startswith("openai:resp_")
    chunks = await collect(generate_media("make it orange", continue_from=cid, output_dir=tmp_path,
                                          store=ContinuationStore()))
    assert len(media_chunks(chunks)) == 1
    assert provider_env.last("openai.responses").json["previous_response_id"] == cid.partition(":")[2]


async def test_rate_limit_is_retried_by_the_sdk(provider_env, tmp_path):
    provider_env.fail("openai.images.generate", 429, times=1, retry_after_ms=5)
    chunks = await collect(generate_media("a kite", backend="openai", output_dir=tmp_path, store=ContinuationStore()))
    assert len(media_chunks(chunks)) == 1
    assert [r.retry_count for r in provider_env.calls("openai.images.generate")] == ["0", "1"]


@pytest.mark.parametrize("backend,route", [("openai", "openai.images.generate"), ("grok", "xai.images.generate"),
                                           ("google", "gemini.generate"), ("sd", "a1111.txt2img")])
async def test_provider_errors_become_one_error_chunk_without_the_key(provider_env, tmp_path, backend, route):
    provider_env.script(route, [Reply.fault(400, message="content policy violation")])
    chunks = await collect(generate_media("a kite", backend=backend, output_dir=tmp_path, store=ContinuationStore(),
                                          max_retries=0))
    [message] = error_texts(chunks)
    assert message.startswith(f"{backend}: 400") and FAKE_KEY not in message and "\n" not in message
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith(".")]


async def test_wrong_key_is_reported_without_leaking_it(provider_env, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-key-abcdef")
    chunks = await collect(generate_media("a kite", backend="openai", output_dir=tmp_path, store=ContinuationStore()))
    [message] = error_texts(chunks)
    assert "401" in message and "sk-wrong" not in message


async def test_missing_key_names_the_variable(provider_env, tmp_path, monkeypatch):
    monkeypatch.delenv("XAI_API_KEY")
    with pytest.raises(BackendUnavailable, match="XAI_API_KEY"):
        await collect(generate_media("a kite", backend="grok", output_dir=tmp_path))


async def test_a_text_reply_instead_of_an_image_is_an_error(provider_env, tmp_path):
    provider_env.script("openrouter.chat", [Reply(text="I cannot draw that", images=[])])
    chunks = await collect(generate_media("a kite", backend="openrouter", output_dir=tmp_path,
                                          store=ContinuationStore()))
    [message] = error_texts(chunks)
    assert "no image in the reply: I cannot draw that" in message


async def test_sd_sends_the_seed_settings_and_reports_progress(provider_env, tmp_path):
    provider_env.script("a1111.txt2img", [Reply(stall=0.3)])
    config = {"model": "sdxl-turbo", "steps": 25, "cfg_scale": 7.5, "sampler": "DPM++ 2M Karras"}
    chunks = await collect(generate_media("a kite", config=config, output_dir=tmp_path, store=ContinuationStore(),
                                          poll_interval=0.05))
    body = provider_env.last("a1111.txt2img").json
    assert (body["steps"], body["cfg_scale"], body["sampler_name"]) == (25, 7.5, "DPM++ 2M Karras")
    assert body["override_settings"] == {"sd_model_checkpoint": "sdxl-turbo"}
    assert (body["width"], body["height"]) == (512, 512)
    assert provider_env.calls("a1111.progress")
    assert any(c.is_partial for c in chunks if c.type == ChunkType.MEDIA_PROGRESS)
    assert len(media_chunks(chunks)) == 1


async def test_imagen_jpeg_keeps_its_extension(provider_env, tmp_path):
    provider_env.script("vertex.imagen", [Reply(images=[tiny_image("JPEG")])])
    [media] = media_chunks(await collect(generate_media("a kite", model="imagen-4.0-generate-001",
                                                        output_dir=tmp_path, store=ContinuationStore())))
    assert media.media_data.endswith(".jpg")


async def test_a_google_style_size_is_refused_by_openai(provider_env, tmp_path):
    chunks = await collect(generate_media("a kite", backend="openai", size="2K", output_dir=tmp_path,
                                          store=ContinuationStore()))
    assert "OpenAI takes WIDTHxHEIGHT" in error_texts(chunks)[0]
    assert not provider_env.calls("openai.images.generate")


async def test_a_video_id_does_not_continue_an_image(provider_env, tmp_path):
    from massgen.generation.store import ContinuationError

    with pytest.raises(ContinuationError, match="unknown or expired"):
        await collect(generate_media("x", continue_from="openai:video_0001", output_dir=tmp_path,
                                     store=ContinuationStore()))


async def test_responses_sends_input_images_as_data_urls(provider_env, tmp_path):
    source = tmp_path / "photo.jpg"
    source.write_bytes(tiny_image("JPEG"))
    await collect(generate_media("add a hat", backend="openai", model="gpt-5-mini", input_images=[str(source)],
                                 output_dir=tmp_path, store=ContinuationStore()))
    body = provider_env.last("openai.responses").json
    content = body["input"][0]["content"]
    assert content[0] == {"type": "input_text", "text": "add a hat"}
    assert content[1]["image_url"].startswith("data:image/jpeg;base64,")
    assert body["tool_choice"] == {"type": "image_generation"}

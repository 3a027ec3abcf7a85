"""Video and audio backends through their real SDKs / HTTP APIs against the fake provider server:
Sora (create, poll, streamed download, remix), Veo (generate, poll, inline or URI, extend), Grok video,
OpenAI speech in every format, ElevenLabs speech and sound effects, and transcription."""

from __future__ import annotations

import pytest

from fake_providers import FAKE_KEY, Reply
from generation_helpers import collect, error_texts, media_chunks
from massgen.generation import ContinuationStore, generate_media
from massgen.generation.audio_openai import transcribe
from massgen.generation.config import AUDIO_FORMATS
from massgen.generation.errors import GenerationInputError
from massgen.media import sniff
from massgen.stream_chunk import ChunkType

FAST = {"poll_interval": 0.01, "poll_timeout": 5}

pytest_plugins = ("generation_fixtures",)


def progress_of(chunks):
    return [c.progress_percentage for c in chunks if c.type == ChunkType.MEDIA_PROGRESS]


@pytest.mark.filterwarnings("ignore:The Sora API:DeprecationWarning")
async def test_sora_creates_polls_downloads_and_remixes(provider_env, tmp_path):
    store = ContinuationStore()
    chunks = await collect(generate_media("waves at dawn", mode="video", backend="openai", output_dir=tmp_path,
                                          store=store, duration=7, aspect_ratio="16:9", **FAST))
    [video] = media_chunks(chunks)
    assert sniff(video.media_data).mime_type == "video/mp4" and video.media_data.endswith(".mp4")
    form = provider_env.last("openai.videos.create").form
    assert (form["seconds"], form["size"], form["model"]) == ("8", "1280x720", "sora-2")
    assert len(provider_env.calls("openai.videos.retrieve")) == 2
    percents = progress_of(chunks)
    assert percents == sorted(percents) and any(40 < p < 95 for p in percents)
    cid = video.media_metadata.continuation_id
    assert cid == "openai:video_0001"
    remixed = await collect(generate_media("now at dusk", mode="video", continue_from=cid, output_dir=tmp_path,
                                           store=ContinuationStore(), **FAST))
    assert len(media_chunks(remixed)) == 1
    assert provider_env.last("openai.videos.remix").path.endswith("/videos/video_0001/remix")


@pytest.mark.filterwarnings("ignore:The Sora API:DeprecationWarning")
async def test_sora_failure_and_poll_timeout_are_error_chunks(provider_env, tmp_path):
    provider_env.script("openai.videos.create", [Reply(text="fail")])
    chunks = await collect(generate_media("x", mode="video", backend="openai", output_dir=tmp_path,
                                          store=ContinuationStore(), **FAST))
    assert "blocked by moderation" in error_texts(chunks)[0]
    chunks = await collect(generate_media("x", mode="video", backend="openai", output_dir=tmp_path,
                                          store=ContinuationStore(), poll_interval=0.01, poll_timeout=0.0))
    assert "did not finish within 0 s" in error_texts(chunks)[0]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
async def test_sora_image_to_video_sends_a_reference_of_the_video_size(provider_env, tmp_path):
    from PIL import Image
    import io

    source = tmp_path / "frame.png"
    Image.new("RGB", (300, 300), (0, 90, 200)).save(source)
    await collect(generate_media("animate", mode="video", backend="openai", input_images=[str(source)],
                                 aspect_ratio="9:16", output_dir=tmp_path, store=ContinuationStore(), **FAST))
    reference = provider_env.last("openai.videos.create").form["input_reference"]
    with Image.open(io.BytesIO(reference["data"])) as img:
        assert img.size == (720, 1280)


@pytest.mark.parametrize("delivery", ["inline", "uri"])
async def test_veo_generates_polls_saves_and_extends(provider_env, tmp_path, delivery):
    if delivery == "uri":
        provider_env.script("vertex.veo", [Reply(text="uri")])
    store = ContinuationStore()
    chunks = await collect(generate_media("a fox runs", mode="video", backend="google", output_dir=tmp_path,
                                          store=store, duration=5, **FAST))
    [video] = media_chunks(chunks)
    assert sniff(video.media_data).mime_type == "video/mp4"
    start = provider_env.last("vertex.veo")
    assert "veo-3.1-generate-preview" in start.path
    assert start.json["parameters"]["durationSeconds"] == 5
    assert len(provider_env.calls("vertex.operation")) == 2
    assert bool(provider_env.calls("vertex.veo_file")) == (delivery == "uri")
    extended = await collect(generate_media("it keeps running", mode="video", output_dir=tmp_path, store=store,
                                            continue_from=video.media_metadata.continuation_id, **FAST))
    assert len(media_chunks(extended)) == 1
    body = provider_env.last("vertex.veo").json
    assert body["instances"][0]["video"]["bytesBase64Encoded"]
    assert body["parameters"]["resolution"] == "720p"


async def test_veo_failure_is_an_error_chunk(provider_env, tmp_path):
    provider_env.script("vertex.veo", [Reply(text="fail")])
    chunks = await collect(generate_media("x", mode="video", backend="google", output_dir=tmp_path,
                                          store=ContinuationStore(), **FAST))
    assert "the prompt was blocked" in error_texts(chunks)[0]


async def test_grok_video_polls_downloads_and_edits(provider_env, tmp_path):
    store = ContinuationStore()
    chunks = await collect(generate_media("a comet", mode="video", output_dir=tmp_path, store=store, **FAST))
    [video] = media_chunks(chunks)
    assert video.media_metadata.generator == "grok"  # first video backend by priority
    assert sniff(video.media_data).mime_type == "video/mp4" and video.media_metadata.duration_seconds == 6
    assert provider_env.last("xai.videos.start").json["duration"] == 6
    edited = await collect(generate_media("make it red", mode="video", output_dir=tmp_path, store=store,
                                          continue_from=video.media_metadata.continuation_id, **FAST))
    assert len(media_chunks(edited)) == 1
    edit = provider_env.last("xai.videos.start")
    assert edit.path.endswith("/videos/edits") and edit.json["video"]["url"].endswith(".mp4")


@pytest.mark.parametrize("fmt", AUDIO_FORMATS)
async def test_openai_speech_sends_the_format_and_the_extension_is_true(provider_env, tmp_path, fmt):
    chunks = await collect(generate_media("hello there", mode="audio", backend="openai", audio_format=fmt,
                                          voice="Coral", output_dir=tmp_path, store=ContinuationStore()))
    [audio] = media_chunks(chunks)
    body = provider_env.last("openai.audio.speech").json
    assert (body["response_format"], body["voice"], body["input"]) == (fmt, "coral", "hello there")
    assert audio.media_data.endswith("." + fmt)


async def test_openai_speech_rejects_unknown_voices_and_sound_effects(provider_env, tmp_path):
    chunks = await collect(generate_media("hi", mode="audio", backend="openai", voice="Rachel", output_dir=tmp_path))
    assert "not an OpenAI voice" in error_texts(chunks)[0]
    chunks = await collect(generate_media("boom", mode="audio", backend="openai", audio_type="sound_effect",
                                          output_dir=tmp_path))
    assert "use backend elevenlabs" in error_texts(chunks)[0]


async def test_elevenlabs_speech_and_sound_effects(provider_env, tmp_path):
    chunks = await collect(generate_media("good morning", mode="audio", voice="George", output_dir=tmp_path,
                                          store=ContinuationStore(), stability=0.4))
    [speech] = media_chunks(chunks)
    assert speech.media_metadata.generator == "elevenlabs" and speech.media_data.endswith(".mp3")
    tts = provider_env.last("elevenlabs.tts")
    assert tts.path.endswith("/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/stream")
    assert tts.headers["xi-api-key"] == FAKE_KEY and tts.query["output_format"] == ["mp3_44100_128"]
    assert tts.json["voice_settings"] == {"stability": 0.4}
    chunks = await collect(generate_media("a door slams", mode="audio", audio_type="sound_effect", duration=2,
                                          audio_format="wav", output_dir=tmp_path, store=ContinuationStore()))
    [effect] = media_chunks(chunks)
    assert effect.media_data.endswith(".wav")
    sound = provider_env.last("elevenlabs.sound").json
    assert (sound["duration_seconds"], sound["model_id"]) == (2.0, "eleven_text_to_sound_v2")


async def test_elevenlabs_retries_rate_limits_and_hides_the_key(provider_env, tmp_path, monkeypatch):
    provider_env.fail("elevenlabs.tts", 429, times=1, retry_after=0)
    chunks = await collect(generate_media("hi", mode="audio", backend="elevenlabs", output_dir=tmp_path))
    assert len(media_chunks(chunks)) == 1 and len(provider_env.calls("elevenlabs.tts")) == 2
    monkeypatch.setenv("ELEVENLABS_API_KEY", "xi-wrong-secret-key")
    chunks = await collect(generate_media("hi", mode="audio", backend="elevenlabs", output_dir=tmp_path))
    [message] = error_texts(chunks)
    assert message.startswith("elevenlabs: 401") and "xi-wrong" not in message


async def test_elevenlabs_rejects_formats_it_cannot_make(provider_env, tmp_path):
    chunks = await collect(generate_media("hi", mode="audio", backend="elevenlabs", audio_format="flac",
                                          output_dir=tmp_path))
    assert "ElevenLabs gives" in error_texts(chunks)[0]
    assert not provider_env.calls("elevenlabs.tts")


async def test_transcription_uploads_the_file_and_returns_text(provider_env, tmp_path):
    from fake_providers.generated_media import audio_bytes

    clip = tmp_path / "note.wav"
    clip.write_bytes(audio_bytes("wav"))
    provider_env.script("openai.audio.transcriptions", [Reply(text="buy milk")])
    result = await transcribe(clip, language="en")
    assert result.text == "buy milk" and result.model == "gpt-transcribe"
    form = provider_env.last("openai.audio.transcriptions").form
    assert form["file"]["data"] == audio_bytes("wav") and form["language"] == "en"
    with pytest.raises(GenerationInputError, match="not audio"):
        text = tmp_path / "note.txt"
        text.write_text("hello")
        await transcribe(text)

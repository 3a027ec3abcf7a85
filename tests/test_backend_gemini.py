"""GeminiBackend against the fake Gemini API: inline parts, Files API uploads, thoughts, calls, image output."""

from __future__ import annotations

import base64
import os

import pytest

from backend_helpers import FAST, closing, collect, kinds, only, reasoning_of, text_of, user
from fake_providers import FAKE_KEY, TINY_PDF, Reply, b64, tiny_png
from formatter_samples import mp4_bytes, wav_bytes
from massgen.backend import GeminiBackend
from massgen.errors import ConfigError
from massgen.stream_chunk import ChunkType, MediaType

__all__ = ["closing"]

PNG = tiny_png(6, 4)
SKETCH = tiny_png(12, 8, rgb=(10, 200, 10))
VOTE = {"name": "vote", "description": "Vote", "parameters": {"type": "object", "properties": {
    "agent_id": {"type": "string"}}}}


@pytest.fixture
def gemini(fake_server, closing):
    def make(model: str = "gemini-2.5-flash", **kw) -> GeminiBackend:
        return closing(GeminiBackend(model=model, api_key=FAKE_KEY, base_url=fake_server.gemini_base_url,
                                     **FAST, **kw))
    return make


def inline(part: dict) -> tuple[str, bytes]:
    data = part["inlineData"]
    return data.get("mimeType") or data.get("mime_type"), base64.urlsafe_b64decode(data["data"])


async def test_image_audio_video_and_pdf_go_inline_with_system_instruction(fake_server, gemini):
    items = [{"type": "image", "base64": b64(PNG), "mime_type": "image/png"},
             {"type": "audio", "base64": b64(wav_bytes()), "mime_type": "audio/wav"},
             {"type": "video", "base64": b64(mp4_bytes()), "mime_type": "video/mp4"},
             {"type": "document", "base64": b64(TINY_PDF), "mime_type": "application/pdf"}]
    chunks = await collect(gemini().stream_with_tools([{"role": "system", "content": "Be exact."},
                                                       *user("what is all this?", *items)]))
    assert text_of(chunks) == "Echo: what is all this? [images=1 audio=1 video=1 documents=1]"
    rec = fake_server.last("gemini.stream")
    parts = rec.json["contents"][0]["parts"]
    assert parts[0] == {"text": "what is all this?"}
    assert [inline(p) for p in parts[1:]] == [("image/png", PNG), ("audio/wav", wav_bytes()),
                                              ("video/mp4", mp4_bytes()), ("application/pdf", TINY_PDF)]
    assert rec.json["systemInstruction"]["parts"] == [{"text": "Be exact."}]
    assert rec.headers["x-goog-api-key"] == FAKE_KEY
    assert rec.path == "/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent"
    assert "responseModalities" not in rec.json.get("generationConfig", {})


async def test_files_too_large_to_inline_go_through_the_files_api_once(fake_server, gemini, tmp_path):
    video = tmp_path / "clip.mp4"
    video.write_bytes(mp4_bytes() + b"\0" * 2000)
    backend = gemini(inline_max_bytes=1000, file_poll_interval=0.01)
    fake_server.script("gemini.files.start", [Reply(file_state="PROCESSING")])
    messages = user("summarise the clip", {"type": "video", "path": str(video)},
                    {"type": "image", "base64": b64(PNG), "mime_type": "image/png"})
    chunks = await collect(backend.stream_with_tools(messages))
    assert kinds(chunks) == ["attachment", "attachment", "attachment_complete", "content", "complete_message", "done"]
    assert [(c.media_metadata.filename, c.get_progress()) for c in chunks[:3]] == \
        [("clip.mp4", 0.0), ("clip.mp4", 100.0), ("clip.mp4", 100.0)]
    stored = fake_server.state["gemini_files"]["file1"]
    assert stored["data"] == video.read_bytes() and stored["mimeType"] == "video/mp4"
    assert len(fake_server.calls("gemini.files.get")) == 2  # polled until PROCESSING turned ACTIVE
    parts = fake_server.last("gemini.stream").json["contents"][0]["parts"]
    file_data = parts[1]["fileData"]  # the SDK writes these keys in mixed case, as with inlineData
    assert file_data.get("fileUri", file_data.get("file_uri")) == stored["uri"]
    assert file_data.get("mimeType", file_data.get("mime_type")) == "video/mp4"
    assert inline(parts[2]) == ("image/png", PNG)
    again = await collect(backend.stream_with_tools([*messages, {"role": "assistant", "content": "ok"}, *user("more")]))
    assert len(fake_server.calls("gemini.files.start")) == 1
    assert kinds(again) == ["content", "complete_message", "done"]  # sent once: no second upload, no progress


async def test_a_file_changed_on_disk_is_uploaded_again(fake_server, gemini, tmp_path):
    video = tmp_path / "clip.mp4"
    video.write_bytes(mp4_bytes() + b"\0" * 2000)
    backend = gemini(inline_max_bytes=1000, file_poll_interval=0.01)
    await collect(backend.stream_with_tools(user("once", {"type": "video", "path": str(video)})))
    await collect(backend.stream_with_tools(user("same file", {"type": "video", "path": str(video)})))
    assert len(fake_server.calls("gemini.files.start")) == 1
    video.write_bytes(mp4_bytes() + b"\1" * 2000)  # same size, new content
    os.utime(video, ns=(video.stat().st_atime_ns, video.stat().st_mtime_ns + 10**9))
    await collect(backend.stream_with_tools(user("edited", {"type": "video", "path": str(video)})))
    assert len(fake_server.calls("gemini.files.start")) == 2


async def test_the_inline_budget_counts_the_base64_the_request_carries(fake_server, gemini, tmp_path):
    """900 bytes of files fit a 1000-byte budget as bytes but not as the 1,200 characters of base64 sent."""
    clips = [tmp_path / "a.mp4", tmp_path / "b.mp4"]
    for clip in clips:
        clip.write_bytes(mp4_bytes() + b"\0" * (450 - len(mp4_bytes())))
    backend = gemini(inline_max_bytes=1000, file_poll_interval=0.01)
    await collect(backend.stream_with_tools(user("compare", *({"type": "video", "path": str(c)} for c in clips))))
    assert len(fake_server.calls("gemini.files.start")) == 1
    parts = fake_server.last("gemini.stream").json["contents"][0]["parts"]
    assert sum("inlineData" in part or "inline_data" in part for part in parts) == 1


async def test_a_large_upload_reports_the_bytes_the_server_confirmed(fake_server, gemini, tmp_path):
    """google-genai sends 8 MB a request; each confirmed request moves the bar, and the router draws it."""
    video = tmp_path / "long.mp4"
    video.write_bytes(mp4_bytes() + bytes(9 * 1024 * 1024))
    size = video.stat().st_size
    chunks = await collect(gemini(inline_max_bytes=1000).stream_with_tools(
        user("what happens?", {"type": "video", "path": str(video)})))
    progress = [c for c in chunks if c.type in (ChunkType.ATTACHMENT, ChunkType.ATTACHMENT_COMPLETE)]
    assert [(c.type.value, c.bytes_transferred) for c in progress] == [
        ("attachment", 0), ("attachment", 8 * 1024 * 1024), ("attachment", size), ("attachment_complete", size)]
    assert all(c.validate() and c.total_bytes == size and c.media_id == progress[0].media_id for c in progress)
    assert [len(r.body) for r in fake_server.calls("gemini.files.upload")] == [8 * 1024 * 1024, size - 8 * 1024 * 1024]
    assert fake_server.state["gemini_files"]["file1"]["data"] == video.read_bytes()


async def test_image_model_output_becomes_media_chunks(fake_server, gemini):
    fake_server.script("gemini.stream", [Reply(text="Here is the sketch", images=[SKETCH])])
    chunks = await collect(gemini("gemini-2.5-flash-image").stream_with_tools(user("sketch a leaf")))
    assert kinds(chunks) == ["content", "media", "complete_message", "done"]
    media = only(chunks, ChunkType.MEDIA)[0]
    assert media.media_type is MediaType.IMAGE and base64.b64decode(media.media_data) == SKETCH
    meta = media.media_metadata
    assert (meta.mime_type, meta.width, meta.height, meta.size_bytes) == ("image/png", 12, 8, len(SKETCH))
    assert meta.continuation_id == "gem_1" and media.validate()
    assert fake_server.last("gemini.stream").json["generationConfig"]["responseModalities"] == ["TEXT", "IMAGE"]


async def test_thoughts_text_and_function_calls_in_order(fake_server, gemini):
    fake_server.script("gemini.stream", [Reply(reasoning="check both", text="Voting for b",
                                               tool_calls=[{"name": "vote", "arguments": {"agent_id": "b"}}])])
    backend = gemini(thinking={"include_thoughts": True}, temperature=0.2)
    chunks = await collect(backend.stream_with_tools(user("vote"), [VOTE]))
    assert kinds(chunks) == ["reasoning", "content", "tool_calls", "complete_message", "done"]
    assert reasoning_of(chunks) == "check both" and text_of(chunks) == "Voting for b"
    assert only(chunks, ChunkType.TOOL_CALLS)[0].tool_calls == [{"id": "fc_1", "name": "vote",
                                                                 "arguments": {"agent_id": "b"}}]
    body = fake_server.last("gemini.stream").json
    assert body["tools"][0]["functionDeclarations"][0]["name"] == "vote"
    thinking = body["generationConfig"]["thinkingConfig"]  # proto JSON takes snake or camel keys; the SDK mixes
    assert thinking.get("includeThoughts", thinking.get("include_thoughts")) is True
    assert body["generationConfig"]["temperature"] == 0.2


async def test_function_results_go_back_as_function_responses(fake_server, gemini):
    history = [*user("vote"), {"role": "assistant", "content": "", "tool_calls": [
        {"id": "fc_3", "name": "vote", "arguments": {"agent_id": "b"}}]},
               {"role": "tool", "tool_call_id": "fc_3", "name": "vote", "content": "recorded"}]
    await collect(gemini().stream_with_tools(history, [VOTE]))
    contents = fake_server.last("gemini.stream").json["contents"]
    assert contents[1]["role"] == "model" and contents[1]["parts"][0]["functionCall"]["name"] == "vote"
    assert contents[2]["parts"][0]["functionResponse"]["response"] == {"output": "recorded"}


def test_missing_key_names_both_variables():
    with pytest.raises(ConfigError, match="GOOGLE_API_KEY or GEMINI_API_KEY"):
        GeminiBackend(model="gemini-2.5-flash")
    with pytest.raises(ConfigError, match="did you mean 'temperature'"):
        GeminiBackend(model="gemini-2.5-flash", api_key=FAKE_KEY, temprature=0.3)

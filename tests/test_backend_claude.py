"""ClaudeBackend against the fake Anthropic Messages API: image and PDF blocks, thinking, tool use."""

from __future__ import annotations

import base64

import pytest

from backend_helpers import FAST, closing, collect, kinds, only, reasoning_of, text_of, user
from fake_providers import FAKE_KEY, TINY_PDF, Reply, b64, tiny_png
from formatter_samples import wav_bytes
from massgen.backend import ClaudeBackend
from massgen.errors import ConfigError
from massgen.stream_chunk import ChunkType, TextStreamChunk

__all__ = ["closing"]

PNG = tiny_png(6, 4)
VOTE = {"name": "vote", "description": "Vote", "parameters": {"type": "object", "properties": {
    "agent_id": {"type": "string"}, "reason": {"type": "string"}}}}


@pytest.fixture
def claude(fake_server, closing):
    def make(**kw) -> ClaudeBackend:
        return closing(ClaudeBackend(model="claude-sonnet-4-6", api_key=FAKE_KEY,
                                     base_url=fake_server.anthropic_base_url, **FAST, **kw))
    return make


async def test_seed_base64_image_question_streams_an_answer(fake_server, claude):
    """Seed §7.2 test_claude_image_base64, with a real PNG and the fake server."""
    messages = [{"role": "user", "content": [{"type": "text", "text": "Describe this image"},
                                             {"type": "image", "base64": b64(PNG),
                                              "mime_type": "image/png"}]}]
    response = await claude().stream_with_tools(messages, [])
    chunks = [chunk async for chunk in response]
    assert any(isinstance(c, TextStreamChunk) and c.type == ChunkType.CONTENT for c in chunks)
    assert text_of(chunks) == "Echo: Describe this image [images=1]"
    block = fake_server.last("anthropic.messages").json["messages"][0]["content"][1]
    assert block == {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": b64(PNG)}}


async def test_url_image_pdf_document_and_system_reach_the_server_in_claude_shape(fake_server, claude):
    items = [{"type": "image", "url": "https://example.com/cat.png"},
             {"type": "document", "base64": b64(TINY_PDF), "mime_type": "application/pdf", "filename": "spec.pdf"}]
    messages = [{"role": "system", "content": "You are terse."}, *user("compare", *items)]
    chunks = await collect(claude(max_tokens=512).stream_with_tools(messages))
    assert text_of(chunks) == "Echo: compare [images=1 documents=1]"
    rec = fake_server.last("anthropic.messages")
    body = rec.json
    assert body["system"] == "You are terse." and body["max_tokens"] == 512 and body["stream"] is True
    _, image, pdf = body["messages"][0]["content"]
    assert image == {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}}
    assert pdf["type"] == "document" and pdf["title"] == "spec.pdf"
    assert base64.b64decode(pdf["source"]["data"]) == TINY_PDF
    assert rec.headers.get("x-api-key") == FAKE_KEY or rec.headers.get("authorization") == f"Bearer {FAKE_KEY}"
    assert rec.retry_count == "0"


async def test_thinking_text_and_tool_use_become_chunks_in_order(fake_server, claude):
    fake_server.script("anthropic.messages", [Reply(reasoning="B cites sources", text="Voting.",
                                                    tool_calls=[{"name": "vote", "arguments": {"agent_id": "b",
                                                                                               "reason": "sources"}}])])
    backend = claude(thinking={"type": "enabled", "budget_tokens": 1024}, agent_id="critic")
    chunks = await collect(backend.stream_with_tools(user("vote now"), [VOTE]))
    assert kinds(chunks) == ["reasoning", "content", "tool_calls", "complete_message", "done"]
    assert reasoning_of(chunks) == "B cites sources" and text_of(chunks) == "Voting."
    call = only(chunks, ChunkType.TOOL_CALLS)[0].tool_calls[0]
    assert call == {"id": "toolu_1", "name": "vote", "arguments": {"agent_id": "b", "reason": "sources"}}
    final = only(chunks, ChunkType.COMPLETE_MESSAGE)[0]
    assert final.response["id"] == "msg_fake" and final.response["usage"]["output_tokens"] == 7
    body = fake_server.last("anthropic.messages").json
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 1024}
    assert body["tools"] == [{"name": "vote", "description": "Vote", "input_schema": VOTE["parameters"]}]
    assert {c.source for c in chunks} == {"critic"}


async def test_tool_results_go_back_as_tool_result_blocks(fake_server, claude):
    history = [*user("vote"), {"role": "assistant", "content": "ok", "tool_calls": [
        {"id": "toolu_7", "name": "vote", "arguments": {"agent_id": "b"}}]},
               {"role": "tool", "tool_call_id": "toolu_7", "name": "vote", "content": "vote recorded"}]
    await collect(claude().stream_with_tools(history, [VOTE]))
    sent = fake_server.last("anthropic.messages").json["messages"]
    assert sent[1]["content"][1] == {"type": "tool_use", "id": "toolu_7", "name": "vote", "input": {"agent_id": "b"}}
    assert sent[2]["content"][0] == {"type": "tool_result", "tool_use_id": "toolu_7", "content": "vote recorded"}


async def test_audio_is_a_note_because_claude_takes_none(fake_server, claude):
    wav = wav_bytes()
    await collect(claude().stream_with_tools(user("listen", {"type": "audio", "base64": b64(wav),
                                                             "mime_type": "audio/wav"})))
    sent = fake_server.last("anthropic.messages").json["messages"][0]["content"]
    assert [b["type"] for b in sent] == ["text", "text"] and "not sent" in sent[1]["text"]


async def test_sampling_options_the_api_dropped_are_left_out_with_a_warning(fake_server, claude, caplog):
    chunks = await collect(claude(temperature=0.7, top_p=0.9).stream_with_tools(user("hi")))
    assert text_of(chunks) == "Echo: hi"
    body = fake_server.last("anthropic.messages").json
    assert "temperature" not in body and "top_p" not in body
    assert "temperature and top_p ignored (the Anthropic Messages API no longer takes them)" in caplog.text


def test_missing_key_names_the_variable_before_anything_streams():
    with pytest.raises(ConfigError, match="ANTHROPIC_API_KEY") as err:
        ClaudeBackend(model="claude-sonnet-4-6", agent_id="critic")
    assert "critic" in str(err.value)
    assert ClaudeBackend(api_key=FAKE_KEY).get_max_media_size("image") == 5 * 1024 * 1024

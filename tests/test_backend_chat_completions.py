"""ChatCompletionsBackend, GrokBackend and AzureOpenAIBackend against the fake provider (Chat Completions wire)."""

from __future__ import annotations

import base64

import pytest

from backend_helpers import FAST, closing, collect, kinds, only, reasoning_of, text_of, user
from fake_providers import FAKE_KEY, TINY_PDF, Reply, b64, tiny_png
from massgen.backend import AzureOpenAIBackend, ChatCompletionsBackend, GrokBackend
from massgen.errors import ConfigError
from massgen.stream_chunk import ChunkType, TextStreamChunk

PNG = tiny_png(6, 4)
VOTE = {"name": "vote", "description": "Vote for an answer",
        "parameters": {"type": "object", "properties": {"agent_id": {"type": "string"}}, "required": ["agent_id"]}}
VISION = {"input": ["image", "document"]}


__all__ = ["closing"]  # the fixture, imported for pytest


@pytest.fixture
def chat(fake_server, closing):
    """A ChatCompletionsBackend on the fake server, closed after the test."""
    def make(**kw) -> ChatCompletionsBackend:
        return closing(ChatCompletionsBackend(model="llava", api_key=FAKE_KEY, base_url=fake_server.openai_base_url,
                                              **FAST, **kw))
    return make


async def test_seed_image_question_by_url_streams_an_answer(fake_server, chat):
    """Seed §7.2 test_openai_image_input, pointed at the fake server."""
    backend = chat(multimodal_capabilities={"input": ["image"]})
    messages = [{"role": "user", "content": [{"type": "text", "text": "What's in this image?"},
                                             {"type": "image", "url": "https://example.com/image.jpg"}]}]
    response = await backend.stream_with_tools(messages, [])
    chunks = [chunk async for chunk in response]
    assert any(isinstance(c, TextStreamChunk) for c in chunks)
    assert text_of(chunks) == "Echo: What's in this image? [images=1]"
    sent = fake_server.last("openai.chat").json["messages"][0]["content"]
    assert sent[1] == {"type": "image_url", "image_url": {"url": "https://example.com/image.jpg"}}


async def test_text_base64_image_and_pdf_reach_the_server_in_chat_shape(fake_server, chat):
    items = [{"type": "image", "base64": b64(PNG), "mime_type": "image/png"},
             {"type": "document", "base64": b64(TINY_PDF), "mime_type": "application/pdf", "filename": "a.pdf"}]
    chunks = await collect(chat(multimodal_capabilities=VISION)
                           .stream_with_tools([{"role": "system", "content": "be brief"}, *user("describe", *items)]))
    assert text_of(chunks) == "Echo: describe [images=1 files=1]"
    body = fake_server.last("openai.chat").json
    assert body["messages"][0] == {"role": "system", "content": "be brief"}
    text, image, pdf = body["messages"][1]["content"]
    assert text == {"type": "text", "text": "describe"}
    assert image["image_url"]["url"] == f"data:image/png;base64,{b64(PNG)}"
    assert base64.b64decode(image["image_url"]["url"].split(",", 1)[1]) == PNG
    assert pdf["file"]["filename"] == "a.pdf"
    assert base64.b64decode(pdf["file"]["file_data"].split(",", 1)[1]) == TINY_PDF
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


async def test_image_is_a_note_when_the_server_is_not_set_up_for_vision(fake_server, chat):
    chunks = await collect(chat().stream_with_tools(
        user("look", {"type": "image", "base64": b64(PNG), "mime_type": "image/png"})))
    sent = fake_server.last("openai.chat").json["messages"][0]["content"]
    assert [p["type"] for p in sent] == ["text", "text"] and "not sent" in sent[1]["text"]
    assert "[images" not in text_of(chunks)


async def test_streamed_reasoning_text_and_tool_calls_become_chunks_in_order(fake_server, chat):
    fake_server.script("openai.chat", [Reply(reasoning="weighing both", text="I vote B",
                                             tool_calls=[{"name": "vote", "arguments": {"agent_id": "b"}}])])
    chunks = await collect(chat(agent_id="agent_a").stream_with_tools(user("vote"), [VOTE]))
    assert kinds(chunks) == ["reasoning", "content", "tool_calls", "complete_message", "done"]
    assert reasoning_of(chunks) == "weighing both" and text_of(chunks) == "I vote B"
    calls = only(chunks, ChunkType.TOOL_CALLS)[0].tool_calls
    assert calls == [{"id": "call_1", "name": "vote", "arguments": {"agent_id": "b"}}]
    final = only(chunks, ChunkType.COMPLETE_MESSAGE)[0].complete_message
    assert final == {"role": "assistant", "content": "I vote B", "tool_calls": calls}
    assert all(c.source == "agent_a" and c.validate() for c in chunks)
    sent_tools = fake_server.last("openai.chat").json["tools"]
    assert sent_tools[0]["function"]["name"] == "vote" and sent_tools[0]["type"] == "function"


async def test_tool_results_go_back_as_tool_messages(fake_server, chat):
    history = [*user("vote"), {"role": "assistant", "content": "", "tool_calls": [
        {"id": "call_9", "name": "vote", "arguments": {"agent_id": "b"}}]},
               {"role": "tool", "tool_call_id": "call_9", "name": "vote", "content": "recorded"}]
    await collect(chat().stream_with_tools(history, [VOTE]))
    sent = fake_server.last("openai.chat").json["messages"]
    assert sent[1]["tool_calls"][0]["function"]["arguments"] == '{"agent_id": "b"}'
    assert sent[2] == {"role": "tool", "tool_call_id": "call_9", "content": "recorded"}


def test_a_compatible_server_needs_a_base_url_but_no_key():
    with pytest.raises(ConfigError, match="base_url"):
        ChatCompletionsBackend(model="llama3")
    assert ChatCompletionsBackend(model="llama3", base_url="http://127.0.0.1:9/v1").requires_key()


async def test_grok_takes_images_and_needs_xai_key(fake_server, monkeypatch, closing):
    with pytest.raises(ConfigError, match="XAI_API_KEY"):
        GrokBackend(model="grok-4")
    monkeypatch.setenv("XAI_API_KEY", FAKE_KEY)
    backend = closing(GrokBackend(model="grok-4", base_url=fake_server.openai_base_url.replace("/openai/", "/xai/"),
                                  **FAST))
    assert backend.supports_multimodal_input()["image"] and not backend.supports_multimodal_input()["document"]
    chunks = await collect(backend.stream_with_tools(
        user("see", {"type": "image", "base64": b64(PNG), "mime_type": "image/png"})))
    assert text_of(chunks) == "Echo: see [images=1]"
    rec = fake_server.last("openai.chat")
    assert rec.path == "/xai/v1/chat/completions" and rec.headers["authorization"] == f"Bearer {FAKE_KEY}"


async def test_azure_deployment_api_version_and_vision_by_deployment_name(fake_server, closing):
    backend = closing(AzureOpenAIBackend(api_key=FAKE_KEY, base_url=fake_server.azure_endpoint,
                                         deployment="gpt-4o-prod", api_version="2025-01-01-preview", **FAST))
    assert backend.supports_multimodal_input()["image"]
    chunks = await collect(backend.stream_with_tools(
        user("see", {"type": "image", "base64": b64(PNG), "mime_type": "image/png"})))
    assert text_of(chunks) == "Echo: see [images=1]"
    rec = fake_server.last("azure.chat")
    assert rec.params["deployment"] == "gpt-4o-prod" and rec.query["api-version"] == ["2025-01-01-preview"]
    assert rec.headers["api-key"] == FAKE_KEY and "authorization" not in rec.headers
    text_only = AzureOpenAIBackend(api_key=FAKE_KEY, base_url=fake_server.azure_endpoint, deployment="gpt-35-turbo")
    assert not text_only.supports_multimodal_input()["image"]
    forced = AzureOpenAIBackend(api_key=FAKE_KEY, base_url=fake_server.azure_endpoint, deployment="gpt-35-turbo",
                                multimodal_capabilities={"input": ["image"]})
    assert forced.supports_multimodal_input()["image"]


def test_azure_names_its_endpoint_and_key_variables():
    with pytest.raises(ConfigError, match="AZURE_OPENAI_API_KEY"):
        AzureOpenAIBackend(deployment="gpt-4o", base_url="https://x.openai.azure.com")
    with pytest.raises(ConfigError, match="AZURE_OPENAI_ENDPOINT"):
        AzureOpenAIBackend(deployment="gpt-4o", api_key=FAKE_KEY)

"""ResponseBackend [openai] against the fake Responses API: inputs, reasoning, tools, image generation."""

from __future__ import annotations

import base64

import pytest

from backend_helpers import FAST, closing, collect, kinds, only, reasoning_of, text_of, user
from fake_providers import FAKE_KEY, TINY_PDF, Reply, b64, tiny_png
from massgen.backend import ResponseBackend
from massgen.stream_chunk import ChunkType, MediaEncoding, MediaType

__all__ = ["closing"]

PNG = tiny_png(6, 4)
FINAL = tiny_png(9, 7, rgb=(0, 120, 200))
NOTE = {"name": "new_answer", "description": "Give an answer",
        "parameters": {"type": "object", "properties": {"content": {"type": "string"}}}}


@pytest.fixture
def responses(fake_server, closing):
    def make(**kw) -> ResponseBackend:
        return closing(ResponseBackend(model="gpt-5", api_key=FAKE_KEY, base_url=fake_server.openai_base_url,
                                       **FAST, **kw))
    return make


async def test_text_image_and_pdf_reach_the_server_as_responses_input(fake_server, responses):
    items = [{"type": "image", "base64": b64(PNG), "mime_type": "image/png"},
             {"type": "document", "base64": b64(TINY_PDF), "mime_type": "application/pdf", "filename": "r.pdf"}]
    chunks = await collect(responses().stream_with_tools(user("summarise", *items)))
    assert text_of(chunks) == "Echo: summarise [images=1 files=1]"
    body = fake_server.last("openai.responses").json
    text, image, pdf = body["input"][0]["content"]
    assert text == {"type": "input_text", "text": "summarise"}
    assert image["type"] == "input_image" and base64.b64decode(image["image_url"].split(",", 1)[1]) == PNG
    assert pdf["type"] == "input_file" and pdf["filename"] == "r.pdf"
    assert base64.b64decode(pdf["file_data"].split(",", 1)[1]) == TINY_PDF
    assert body["tools"] == [{"type": "image_generation", "partial_images": 1}]


async def test_reasoning_summary_text_and_function_call_chunks_in_order(fake_server, responses):
    fake_server.script("openai.responses", [Reply(reasoning="compare the two", text="Mine is better",
                                                  tool_calls=[{"name": "new_answer", "arguments": {"content": "X"}}])])
    chunks = await collect(responses(image_generation=False, reasoning={"effort": "low", "summary": "auto"})
                           .stream_with_tools(user("answer"), [NOTE]))
    assert kinds(chunks) == ["reasoning", "content", "tool_calls", "complete_message", "done"]
    assert reasoning_of(chunks) == "compare the two"
    assert only(chunks, ChunkType.TOOL_CALLS)[0].tool_calls == [
        {"id": "call_1", "name": "new_answer", "arguments": {"content": "X"}}]
    body = fake_server.last("openai.responses").json
    assert body["reasoning"] == {"effort": "low", "summary": "auto"}
    assert body["tools"] == [{"type": "function", "name": "new_answer", "description": "Give an answer",
                              "parameters": NOTE["parameters"], "strict": False}]


async def test_partial_images_become_progress_and_the_final_image_a_media_chunk(fake_server, responses):
    fake_server.script("openai.responses", [Reply(text="Here it is", images=[FINAL], partial_images=2)])
    backend = responses(image_generation={"partial_images": 2, "size": "1024x1024"})
    chunks = await collect(backend.stream_with_tools(user("draw a lighthouse")))
    assert kinds(chunks) == ["content", "media_progress", "media", "complete_message", "done"]
    progress = only(chunks, ChunkType.MEDIA_PROGRESS)
    media = only(chunks, ChunkType.MEDIA)[0]
    assert [(p.chunk_index, p.total_chunks) for p in progress] == [(0, 3), (1, 3)]
    assert [p.get_progress() for p in progress] == pytest.approx([100 / 3, 200 / 3])
    assert all(p.media_id == media.media_id == "ig_1" for p in progress)
    assert base64.b64decode(progress[0].media_data) != FINAL
    assert media.media_type is MediaType.IMAGE and media.media_encoding is MediaEncoding.BASE64
    assert base64.b64decode(media.media_data) == FINAL
    meta = media.media_metadata
    assert (meta.mime_type, meta.size_bytes, meta.width, meta.height) == ("image/png", len(FINAL), 9, 7)
    assert meta.continuation_id == "resp_0001" == backend.last_response_id and meta.generator == "openai"
    assert all(c.validate() for c in chunks)
    final = only(chunks, ChunkType.COMPLETE_MESSAGE)[0].complete_message
    assert final["content"][1] == {"type": "image", "base64": media.media_data, "mime_type": "image/png"}
    sent_tool = fake_server.last("openai.responses").json["tools"][0]
    assert sent_tool == {"type": "image_generation", "partial_images": 2, "size": "1024x1024"}


async def test_refining_continues_the_response_by_its_id(fake_server, responses):
    backend = responses()
    first = await collect(backend.stream_with_tools(user("draw a cat")))
    continuation = only(first, ChunkType.MEDIA)[0].media_metadata.continuation_id
    history = [*user("draw a cat"), only(first, ChunkType.COMPLETE_MESSAGE)[0].complete_message,
               *user("make it blue")]
    await collect(backend.stream_with_tools(history, previous_response_id=continuation))
    body = fake_server.last("openai.responses").json
    assert body["previous_response_id"] == continuation
    assert body["input"] == [{"role": "user", "content": [{"type": "input_text", "text": "make it blue"}]}]


async def test_unknown_previous_response_is_an_error_chunk(fake_server, responses):
    chunks = await collect(responses().stream_with_tools(user("again"), previous_response_id="resp_gone"))
    assert kinds(chunks) == ["error", "done"]
    assert "HTTP 400" in chunks[0].error and "not found" in chunks[0].error


async def test_in_band_error_event_ends_the_turn_keeping_text(fake_server, responses):
    fake_server.script("openai.responses", [Reply(text="partial answer here", pieces=4, error_event_after=6)])
    chunks = await collect(responses().stream_with_tools(user("q")))
    assert kinds(chunks) == ["content", "error", "done"]
    error = only(chunks, ChunkType.ERROR)[0]
    assert "fake in-band error" in error.error
    assert error.complete_message["content"] == text_of(chunks) != ""


async def test_a_broken_generated_image_is_an_error_not_a_bad_media_chunk(fake_server, responses):
    fake_server.script("openai.responses", [Reply(text="done", images=[b"this is not an image"])])
    chunks = await collect(responses(image_generation={"partial_images": 0}).stream_with_tools(user("draw")))
    assert kinds(chunks) == ["content", "error", "done"]
    assert "image ig_1" in chunks[-2].error and not only(chunks, ChunkType.MEDIA)


def test_output_capabilities_come_from_the_table_and_yaml():
    backend = ResponseBackend(model="gpt-5", api_key=FAKE_KEY)
    assert backend.supports_multimodal_output()["image"] and backend.image_tool is not None
    muted = ResponseBackend(model="gpt-5", api_key=FAKE_KEY, multimodal_capabilities={"output": []})
    assert not muted.supports_multimodal_output()["image"] and muted.image_tool is None

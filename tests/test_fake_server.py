"""The fake provider server against the real SDK clients, with strict response validation."""

from __future__ import annotations

import base64
import io
import json
import socket
import time

import anthropic
import httpx2
import openai
import pytest
from google import genai
from google.genai import errors as genai_errors
from PIL import Image

from fake_providers import FAKE_KEY, TINY_PDF, Reply, b64, tiny_png
from fake_providers.server import FakeProviderServer

PNG = tiny_png(5, 7)
CALL = {"name": "vote", "arguments": {"agent_id": "agent_b", "reason": "clearer"}}


def oai(server: FakeProviderServer, **kw) -> openai.OpenAI:
    return openai.OpenAI(api_key=FAKE_KEY, base_url=server.openai_base_url, _strict_response_validation=True,
                         timeout=5, **kw)


def claude(server: FakeProviderServer, **kw) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key=FAKE_KEY, base_url=server.anthropic_base_url,
                               _strict_response_validation=True, timeout=5, **kw)


def gem(server: FakeProviderServer) -> genai.Client:
    return genai.Client(api_key=FAKE_KEY, http_options={"base_url": server.gemini_base_url,
                                                       "api_version": "v1beta", "timeout": 5000})


def size_of(b64_text: str) -> tuple[int, int]:
    return Image.open(io.BytesIO(base64.b64decode(b64_text))).size


# -- OpenAI Chat Completions ---------------------------------------------------------------


def test_chat_stream_echoes_text_and_counts_the_image(fake_server):
    stream = oai(fake_server).chat.completions.create(
        model="m", stream=True, stream_options={"include_usage": True},
        messages=[{"role": "user", "content": [
            {"type": "text", "text": "what is this?"},
            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{b64(PNG)}"}}]}])
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Echo: what is this? [images=1]"
    assert chunks[-1].usage.total_tokens == 12
    rec = fake_server.last("openai.chat")
    assert rec.headers["authorization"] == f"Bearer {FAKE_KEY}"
    assert rec.json["messages"][0]["content"][1]["image_url"]["url"].endswith(b64(PNG))


def test_chat_stream_tool_call_deltas_accumulate(fake_server):
    fake_server.script("openai.chat", [Reply(text="voting", tool_calls=[CALL])])
    with oai(fake_server).chat.completions.stream(model="m", messages=[{"role": "user", "content": "go"}]) as s:
        final = s.get_final_completion()
    msg = final.choices[0].message
    assert msg.content == "voting"
    assert msg.tool_calls[0].function.name == "vote"
    assert json.loads(msg.tool_calls[0].function.arguments) == CALL["arguments"]
    assert final.choices[0].finish_reason == "tool_calls"


def test_chat_non_streaming_and_scripted_replies_run_in_order(fake_server):
    fake_server.script("openai.chat", ["first", Reply(text="second")])
    client = oai(fake_server)
    answers = [client.chat.completions.create(model="m", messages=[{"role": "user", "content": "q"}])
               .choices[0].message.content for _ in range(3)]
    assert answers == ["first", "second", "Echo: q"]


def test_azure_deployment_path_and_api_key_header(fake_server):
    client = openai.AzureOpenAI(api_key=FAKE_KEY, azure_endpoint=fake_server.azure_endpoint,
                                azure_deployment="gpt-vision", api_version="2025-01-01", timeout=5,
                                _strict_response_validation=True)
    out = client.chat.completions.create(model="gpt-vision", messages=[{"role": "user", "content": "hi"}])
    assert out.choices[0].message.content == "Echo: hi"
    rec = fake_server.last("azure.chat")
    assert rec.params["deployment"] == "gpt-vision"
    assert rec.headers["api-key"] == FAKE_KEY
    assert rec.query["api-version"] == ["2025-01-01"]


# -- OpenAI Responses ---------------------------------------------------------------------


def test_responses_helper_accepts_reasoning_text_call_and_image_events(fake_server):
    fake_server.script("openai.responses", [Reply(text="here", reasoning="thinking it over", tool_calls=[CALL],
                                                  images=[PNG], partial_images=2)])
    with oai(fake_server).responses.stream(model="m", input="draw", tools=[{"type": "image_generation"}]) as s:
        kinds = [event.type for event in s]
        final = s.get_final_response()
    assert kinds.count("response.image_generation_call.partial_image") == 2
    assert kinds.count("response.reasoning_summary_text.delta") == 3
    assert kinds[0] == "response.created" and kinds[-1] == "response.completed"
    assert final.output_text == "here"
    types = [item.type for item in final.output]
    assert types == ["reasoning", "message", "function_call", "image_generation_call"]
    assert size_of(final.output[3].result) == (5, 7)


def test_responses_default_image_tool_gives_partials_and_final(fake_server):
    events = list(oai(fake_server).responses.create(
        model="m", input="draw", stream=True, tools=[{"type": "image_generation", "partial_images": 1}]))
    partial = [e for e in events if e.type == "response.image_generation_call.partial_image"]
    done = [e for e in events if e.type == "response.output_item.done" and e.item.type == "image_generation_call"]
    assert len(partial) == 1 and size_of(partial[0].partial_image_b64) == (2, 2)
    assert size_of(done[0].item.result) == (4, 3)
    assert [e.sequence_number for e in events] == list(range(len(events)))


def test_responses_previous_response_id_chain(fake_server):
    client = oai(fake_server)
    first = client.responses.create(model="m", input="one")
    second = client.responses.create(model="m", input="two", previous_response_id=first.id)
    assert second.previous_response_id == first.id
    with pytest.raises(openai.BadRequestError) as err:
        client.responses.create(model="m", input="x", previous_response_id="resp_unknown")
    assert err.value.code == "previous_response_not_found"


def test_images_generate_json_and_streamed_partials(fake_server):
    client = oai(fake_server)
    out = client.images.generate(model="gpt-image-1", prompt="a cat", n=2)
    assert [size_of(d.b64_json) for d in out.data] == [(4, 3), (4, 3)]
    events = list(client.images.generate(model="gpt-image-1", prompt="a cat", stream=True, partial_images=2))
    assert [e.type for e in events] == ["image_generation.partial_image"] * 2 + ["image_generation.completed"]
    assert fake_server.last("openai.images.generate").json["partial_images"] == 2


# -- Anthropic ------------------------------------------------------------------------------


def test_anthropic_stream_counts_image_and_pdf_blocks(fake_server):
    content = [{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": b64(PNG)}},
               {"type": "document",
                "source": {"type": "base64", "media_type": "application/pdf", "data": b64(TINY_PDF)}},
               {"type": "text", "text": "describe"}]
    with claude(fake_server).messages.stream(model="c", max_tokens=64,
                                             messages=[{"role": "user", "content": content}]) as s:
        text = "".join(s.text_stream)
    assert text == "Echo: describe [images=1 documents=1]"
    rec = fake_server.last("anthropic.messages")
    assert rec.headers["authorization"] == f"Bearer {FAKE_KEY}" or rec.headers.get("x-api-key") == FAKE_KEY
    assert base64.b64decode(rec.json["messages"][0]["content"][1]["source"]["data"]) == TINY_PDF


def test_anthropic_stream_thinking_and_tool_use(fake_server):
    fake_server.script("anthropic.messages", [Reply(text="ok", reasoning="hmm", tool_calls=[CALL])])
    messages = [{"role": "user", "content": "q"}]
    with claude(fake_server).messages.stream(model="c", max_tokens=64, messages=messages) as s:
        final = s.get_final_message()
    assert [b.type for b in final.content] == ["thinking", "text", "tool_use"]
    assert final.content[2].input == CALL["arguments"] and final.stop_reason == "tool_use"


def test_anthropic_in_band_error_event_raises_status_error(fake_server):
    fake_server.script("anthropic.messages", [Reply(text="partial text here", error_event_after=3)])
    with pytest.raises(anthropic.APIStatusError) as err:
        list(claude(fake_server).messages.create(model="c", max_tokens=8, stream=True,
                                                 messages=[{"role": "user", "content": "q"}]))
    assert err.value.body["error"]["type"] == "overloaded_error"


# -- Gemini ---------------------------------------------------------------------------------


def test_gemini_stream_text_and_image_output(fake_server):
    client = gem(fake_server)
    chunks = list(client.models.generate_content_stream(
        model="g", contents=[genai.types.Part.from_bytes(data=PNG, mime_type="image/png"), "edit"],
        config={"response_modalities": ["TEXT", "IMAGE"]}))
    text = "".join(c.text or "" for c in chunks)
    assert text == "Echo: edit [images=1]"
    image = [p.inline_data for c in chunks for p in c.candidates[0].content.parts if p.inline_data]
    assert Image.open(io.BytesIO(image[0].data)).size == (4, 3)
    rec = fake_server.last("gemini.stream")
    sent = rec.json["contents"][0]["parts"][0]["inlineData"]["data"]
    assert base64.urlsafe_b64decode(sent) == PNG and rec.headers["x-goog-api-key"] == FAKE_KEY


def test_gemini_generate_function_call_and_thought(fake_server):
    fake_server.script("gemini.generate", [Reply(text="calling", reasoning="plan", tool_calls=[CALL])])
    client = gem(fake_server)  # keep a reference: genai.Client closes its pool when collected
    out = client.models.generate_content(model="g", contents="q")
    parts = out.candidates[0].content.parts
    assert [bool(p.thought) for p in parts][:1] == [True]
    assert out.function_calls[0].name == "vote" and out.function_calls[0].args == CALL["arguments"]


def test_gemini_files_resumable_upload_and_get(fake_server, tmp_path):
    path = tmp_path / "clip.pdf"
    path.write_bytes(TINY_PDF)
    client = gem(fake_server)
    uploaded = client.files.upload(file=path, config={"mime_type": "application/pdf"})
    assert uploaded.state.name == "ACTIVE" and uploaded.size_bytes == len(TINY_PDF)
    assert fake_server.state["gemini_files"]["file1"]["data"] == TINY_PDF
    assert client.files.get(name=uploaded.name).uri == uploaded.uri
    start = fake_server.last("gemini.files.start")
    assert start.headers["x-goog-upload-header-content-length"] == str(len(TINY_PDF))


def test_gemini_in_band_error_and_status_codes(fake_server):
    client = gem(fake_server)
    fake_server.script("gemini.stream", [Reply(error_event_after=1, text="abcdef")])
    with pytest.raises(genai_errors.ServerError):
        list(client.models.generate_content_stream(model="g", contents="q"))
    fake_server.fail("gemini.generate", 429)
    with pytest.raises(genai_errors.ClientError) as err:
        client.models.generate_content(model="g", contents="q")
    assert err.value.code == 429 and err.value.status == "RESOURCE_EXHAUSTED"


# -- faults, auth, plug-ins -----------------------------------------------------------------


def test_status_fault_with_retry_after_is_retried_by_the_sdk(fake_server):
    fake_server.fail("openai.chat", 429, times=2, retry_after_ms=5)
    client = oai(fake_server, max_retries=2)
    out = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert out.choices[0].message.content == "Echo: x"
    calls = fake_server.calls("openai.chat")
    assert [c.retry_count for c in calls] == ["0", "1", "2"]
    assert calls[0].reply.headers == {"retry-after-ms": "5"}


def test_dropped_stream_malformed_frame_and_stall(fake_server):
    client = oai(fake_server, max_retries=0)
    messages = [{"role": "user", "content": "hello there"}]
    fake_server.script("openai.chat", [Reply(drop_after=2)])
    with pytest.raises(openai.APIConnectionError):
        list(client.chat.completions.create(model="m", messages=messages, stream=True))
    fake_server.script("openai.chat", [Reply(malformed_after=2)])
    with pytest.raises(ValueError):
        list(client.chat.completions.create(model="m", messages=messages, stream=True))
    fake_server.script("openai.chat", [Reply(stall=3)])
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        client.with_options(timeout=0.3).chat.completions.create(model="m", messages=messages)
    assert time.monotonic() - started < 2
    assert fake_server.last("openai.chat").closed_by_client.wait(2)


def test_wrong_key_is_rejected_in_the_provider_shape(fake_server):
    bad = anthropic.Anthropic(api_key="wrong", base_url=fake_server.anthropic_base_url, max_retries=0)
    with pytest.raises(anthropic.AuthenticationError) as err:
        bad.messages.create(model="c", max_tokens=8, messages=[{"role": "user", "content": "q"}])
    assert err.value.body["error"]["type"] == "authentication_error"


def test_server_sees_the_client_hang_up_mid_stream(fake_server):
    fake_server.script("openai.chat", [Reply(text="x" * 40, pieces=40, frame_delay=0.05)])
    stream = oai(fake_server).chat.completions.create(model="m", stream=True,
                                                      messages=[{"role": "user", "content": "q"}])
    next(iter(stream))
    stream.close()
    rec = fake_server.last("openai.chat")
    assert rec.closed_by_client.wait(2)
    assert not rec.completed.is_set() and rec.frames_sent < 40


def test_plugin_routes_and_scripts(fake_server):
    fake_server.add_route("POST", r"/custom/v1/echo", lambda ex: ex.send_json({"got": ex.json, "n": ex.reply.text}),
                          name="custom.echo")
    fake_server.script("custom.echo", ["scripted"])
    response = httpx2.post(f"{fake_server.url}/custom/v1/echo", json={"a": 1}, headers={"x-api-key": FAKE_KEY})
    assert response.json() == {"got": {"a": 1}, "n": "scripted"}
    with pytest.raises(KeyError, match="no route named"):
        fake_server.script("nope", ["x"])
    raw = socket.create_connection(("127.0.0.1", fake_server.port))
    raw.sendall(b"POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
    assert raw.recv(100).startswith(b"HTTP/1.1 404")
    raw.close()

"""Retries, timeouts, mid-stream failures, cancellation and key hygiene, for every SDK family.

Each test runs against the four wire protocols (Chat Completions, Responses, Anthropic, Gemini),
through the real SDK clients and real sockets of the fake provider.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest

from backend_helpers import FAST, closing, collect, kinds, only, text_of, user
from fake_providers import FAKE_KEY, Reply
from massgen.backend import ChatCompletionsBackend, ClaudeBackend, GeminiBackend, ResponseBackend
from massgen.stream_chunk import ChunkType

__all__ = ["closing"]

# family -> (backend class, extra options, route, index of the first text-delta frame in its stream)
FAMILIES = {
    "chat": (ChatCompletionsBackend, {}, "openai.chat", 1),
    "responses": (ResponseBackend, {"image_generation": False}, "openai.responses", 4),
    "claude": (ClaudeBackend, {}, "anthropic.messages", 2),
    "gemini": (GeminiBackend, {}, "gemini.stream", 0),
}
TEXT = "one two six ten."  # streamed in four pieces: "one " "two " "six " "ten."


@pytest.fixture(params=sorted(FAMILIES))
def family(request):
    return request.param


@pytest.fixture
def make(fake_server, closing, family):
    """Build the family's backend against the fake server (options override FAST)."""
    cls, extra, _, _ = FAMILIES[family]
    base = {"chat": fake_server.openai_base_url, "responses": fake_server.openai_base_url,
            "claude": fake_server.anthropic_base_url, "gemini": fake_server.gemini_base_url}[family]

    def build(**kw):
        return closing(cls(model="test-model", api_key=FAKE_KEY, base_url=base, **{**FAST, **extra, **kw}))
    return build


@pytest.fixture
def route(family) -> str:
    return FAMILIES[family][2]


@pytest.fixture
def first(family) -> int:
    return FAMILIES[family][3]


def error_of(chunks) -> str:
    assert kinds(chunks)[-2:] == ["error", "done"], kinds(chunks)
    return only(chunks, ChunkType.ERROR)[0].error


async def test_rate_limit_with_retry_after_is_retried_then_streams(fake_server, make, route):
    fake_server.fail(route, 429, times=2, retry_after=0.2)
    started = time.monotonic()
    chunks = await collect(make().stream_with_tools(user("hello")))
    assert text_of(chunks) == "Echo: hello"
    assert len(fake_server.calls(route)) == 3
    assert time.monotonic() - started >= 0.4  # Retry-After honoured, twice


async def test_server_errors_exhaust_retries_into_an_error_chunk(fake_server, make, route):
    fake_server.fail(route, 503, times=3, retry_after_ms=5)
    chunks = await collect(make(max_retries=2).stream_with_tools(user("hello")))
    assert "HTTP 503" in error_of(chunks)
    assert len(fake_server.calls(route)) == 3


async def test_retry_after_over_the_cap_fails_at_once(fake_server, make, route):
    """Our cap (1 s in these tests) for anthropic/gemini; the openai SDK's own 120 s cap for its family."""
    fake_server.fail(route, 429, retry_after=300)
    started = time.monotonic()
    chunks = await collect(make().stream_with_tools(user("hello")))
    assert "rate limited (HTTP 429)" in error_of(chunks)
    assert len(fake_server.calls(route)) == 1 and time.monotonic() - started < 2


async def test_connection_closed_before_any_reply_is_retried(fake_server, make, route):
    fake_server.script(route, [Reply(disconnect=True)])
    chunks = await collect(make().stream_with_tools(user("again")))
    assert text_of(chunks) == "Echo: again"
    assert len(fake_server.calls(route)) == 2


async def test_dropped_stream_ends_with_error_and_keeps_partial_text(fake_server, make, route, first):
    fake_server.script(route, [Reply(text=TEXT, pieces=4, drop_after=first + 2)])
    chunks = await collect(make().stream_with_tools(user("q")))
    assert text_of(chunks) == "one two "
    error = only(chunks, ChunkType.ERROR)[0]
    assert "cut off" in error_of(chunks) and error.complete_message["content"] == "one two "
    assert len(fake_server.calls(route)) == 1  # never retried once text has streamed


async def test_stall_mid_stream_times_out_keeping_partial_text(fake_server, make, route, first):
    fake_server.script(route, [Reply(text=TEXT, pieces=4, stall_after=first + 1, stall=5)])
    started = time.monotonic()
    chunks = await collect(make(timeout=0.3).stream_with_tools(user("q")))
    assert text_of(chunks) == "one "
    assert "timed out" in error_of(chunks) and time.monotonic() - started < 2.5
    assert fake_server.last(route).closed_by_client.wait(2)


async def test_stall_before_headers_times_out(fake_server, make, route):
    fake_server.script(route, [Reply(stall=5)])
    started = time.monotonic()
    chunks = await collect(make(timeout=0.3, max_retries=0).stream_with_tools(user("q")))
    assert "timed out" in error_of(chunks) and time.monotonic() - started < 2
    assert text_of(chunks) == ""


async def test_malformed_frame_ends_the_turn_with_an_error(fake_server, make, route, first):
    fake_server.script(route, [Reply(text=TEXT, pieces=4, malformed_after=first + 1)])
    chunks = await collect(make().stream_with_tools(user("q")))
    assert text_of(chunks) == "one "
    assert "could not be read" in error_of(chunks)


async def test_in_band_error_event_ends_the_turn_with_an_error(fake_server, make, route, first):
    fake_server.script(route, [Reply(text=TEXT, pieces=4, error_event_after=first + 1)])
    chunks = await collect(make().stream_with_tools(user("q")))
    assert text_of(chunks) == "one "
    message = error_of(chunks)
    assert "fake in-band error" in message or "Overloaded" in message


async def test_cancelling_the_consumer_closes_the_http_stream_promptly(fake_server, make, route):
    fake_server.script(route, [Reply(text="x" * 60, pieces=60, frame_delay=0.05)])
    got_text = asyncio.Event()

    async def consume() -> None:
        async for chunk in await make().stream_with_tools(user("long")):
            if chunk.type == ChunkType.CONTENT:
                got_text.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(got_text.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    started = time.monotonic()
    rec = fake_server.last(route)
    assert await asyncio.to_thread(rec.closed_by_client.wait, 2)
    assert time.monotonic() - started < 1 and not rec.completed.is_set()


async def test_cancelling_before_the_reply_arrives_closes_the_connection(fake_server, make, route):
    fake_server.script(route, [Reply(stall=5)])
    task = asyncio.create_task(collect(make().stream_with_tools(user("slow"))))
    for _ in range(200):
        if fake_server.calls(route):
            break
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await asyncio.to_thread(fake_server.last(route).closed_by_client.wait, 1)
    assert len(fake_server.calls(route)) == 1


async def test_every_request_carries_a_timeout(fake_server, make, route, family):
    await collect(make(timeout=7).stream_with_tools(user("q")))
    headers = fake_server.last(route).headers
    if family == "gemini":
        assert headers["x-server-timeout"] == "7"
    else:
        assert float(headers["x-stainless-read-timeout"]) == 7.0


async def test_the_api_key_never_appears_in_chunks_errors_or_logs(fake_server, make, route, caplog):
    caplog.set_level(logging.DEBUG)
    leak = f"Incorrect API key provided: {FAKE_KEY}"
    fake_server.script(route, [Reply.fault(429, retry_after_ms=5, message=leak), Reply.fault(401, message=leak),
                               Reply.fault(500, retry_after_ms=5, message=leak), Reply(text="some text", drop_after=2)])
    backend = make(max_retries=1)
    chunks = await collect(backend.stream_with_tools(user("q")))
    chunks += await collect(backend.stream_with_tools(user("q")))
    errors = [c.error for c in only(chunks, ChunkType.ERROR)]
    assert len(errors) == 2 and "HTTP 401" in errors[0] and "[redacted]" in errors[0]
    assert len(fake_server.calls(route)) == 4
    dumped = json.dumps([c.to_dict() for c in chunks])
    assert FAKE_KEY not in dumped and FAKE_KEY not in caplog.text and FAKE_KEY not in repr(backend)
    assert any(r.name.startswith("massgen") for r in caplog.records)

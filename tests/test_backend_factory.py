"""create_backend, lazy SDK imports, capabilities and limits from the one table (with YAML overrides)."""

from __future__ import annotations

import base64
import subprocess
import sys

import pytest

from backend_helpers import FAST, closing, collect, kinds, user
from fake_providers import FAKE_KEY, tiny_png
from massgen.backend import (AzureOpenAIBackend, ChatCompletionsBackend, ChunkStream, ClaudeBackend,
                             GeminiBackend, GrokBackend, LLMBackend, ResponseBackend, create_backend)
from massgen.errors import ConfigError
from massgen.stream_chunk import ChunkType

__all__ = ["closing"]

MB = 1024 * 1024


@pytest.mark.parametrize("config, cls", [
    ({"type": "openai", "model": "gpt-5"}, ResponseBackend),
    ({"type": "chatcompletion", "model": "llama3", "base_url": "http://127.0.0.1:1/v1"}, ChatCompletionsBackend),
    ({"type": "grok", "model": "grok-4"}, GrokBackend),
    ({"type": "azure_openai", "deployment": "gpt-4o", "base_url": "https://r.openai.azure.com"}, AzureOpenAIBackend),
    ({"type": "Anthropic", "model": "claude-sonnet-4-6"}, ClaudeBackend),
    ({"type": "gemini", "model": "gemini-2.5-flash"}, GeminiBackend),
])
def test_each_type_builds_its_class(config, cls):
    backend = create_backend({**config, "api_key": FAKE_KEY}, agent_id="a1")
    assert type(backend) is cls and backend.agent_id == "a1"
    assert FAKE_KEY not in repr(backend)


COMMON = {"temperature": 0.5, "top_p": 0.9, "max_tokens": 100, "timeout_seconds": 9, "max_retries": 1}


@pytest.mark.parametrize("config", [
    {"type": "openai", "reasoning_effort": "low"}, {"type": "chatcompletion", "base_url": "http://127.0.0.1:1/v1"},
    {"type": "grok"}, {"type": "azure_openai", "deployment": "d", "api_version": "2024-10-21",
                       "base_url": "https://r.openai.azure.com"},
    {"type": "claude"}, {"type": "gemini"}, {"type": "claude_code", "cli_path": sys.executable},
])
def test_every_type_takes_the_team_files_common_keys(config):
    """The keys massgen.config allows for every backend are accepted (used, or ignored with a warning)."""
    backend = create_backend({**config, **COMMON, "model": "m", "api_key": FAKE_KEY})
    assert (backend.policy.timeout, backend.policy.max_retries) == (9.0, 1)


def test_team_file_names_map_to_each_api():
    responses = ResponseBackend(model="o4", api_key=FAKE_KEY, max_tokens=100, reasoning_effort="low")
    params = responses.request_params(user("q"), [])
    assert params["max_output_tokens"] == 100 and params["reasoning"] == {"effort": "low"}
    gemini = GeminiBackend(model="g", api_key=FAKE_KEY, max_tokens=64)
    assert gemini.request_config(None, [])["max_output_tokens"] == 64


def test_yaml_overrides_capabilities_and_sizes():
    backend = create_backend({"type": "claude", "api_key": FAKE_KEY}, multimodal_capabilities={"input": ["image"]},
                             media_limits={"image": "1MB"})
    assert backend.supports_multimodal_input() == {"image": True, "audio": False, "video": False, "document": False}
    assert backend.get_max_media_size("image") == MB and backend.get_max_media_size("document") is None
    assert backend.validate_media_input("image", b"x" * MB)
    assert not backend.validate_media_input("image", b"x" * (MB + 1))
    assert not backend.validate_media_input("document", b"%PDF")
    encoded = base64.b64encode(b"x" * (MB + 3)).decode()
    assert not backend.validate_media_input("image", encoded)


def test_defaults_come_from_the_limits_table():
    gemini = GeminiBackend(api_key=FAKE_KEY)
    assert all(gemini.supports_multimodal_input().values()) and gemini.supports_multimodal_output()["image"]
    assert gemini.media_limit("video").max_bytes == 15 * MB  # inline (20 MB of request in base64); beyond that it uploads to the Files API
    assert gemini.get_max_media_size("video") == 2 * 1024 * MB
    chat = ChatCompletionsBackend(model="m", base_url="http://127.0.0.1:1/v1")
    assert not any(chat.supports_multimodal_input().values())


@pytest.mark.parametrize("config, message", [
    ({"model": "x"}, "backend.type is missing"),
    ({"type": "palm"}, "is not one of"),
    ({"type": "openai"}, "OPENAI_API_KEY"),
    ({"type": "openai", "api_key": FAKE_KEY, "max_retry": 3}, "did you mean 'max_retries'"),
    ({"type": "openai", "api_key": FAKE_KEY, "timeout": "soon"}, "backend.timeout must be a number"),
    ({"type": "chatcompletion", "model": "m"}, "base_url"),
])
def test_bad_configs_raise_one_line_config_errors(config, message):
    with pytest.raises(ConfigError, match=message) as err:
        create_backend(config, agent_id="agent_x")
    assert "\n" not in str(err.value) and "agent_x" in str(err.value) and FAKE_KEY not in str(err.value)


def test_key_from_the_environment(monkeypatch):
    monkeypatch.setenv("GOOGLE_API_KEY", FAKE_KEY)
    assert create_backend({"type": "gemini"})._api_key == FAKE_KEY


def test_importing_and_building_backends_loads_no_sdk():
    code = ("import sys; from massgen.backend import create_backend; "
            "[create_backend({'type': t, 'api_key': 'k', 'model': 'm'}) for t in ('openai', 'claude', 'gemini')]; "
            "print(sorted(m for m in ('openai', 'anthropic', 'google.genai', 'httpx2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_chunk_stream_is_awaitable_iterable_and_closes_early(fake_server, closing):
    backend: LLMBackend = closing(ChatCompletionsBackend(model="m", api_key=FAKE_KEY,
                                                         base_url=fake_server.openai_base_url, **FAST))
    stream = backend.stream_with_tools(user("hi"))
    assert isinstance(stream, ChunkStream) and (await stream) is stream
    assert kinds([c async for c in stream]) == ["content", "complete_message", "done"]
    async with backend.stream_with_tools(user("again")) as early:
        first = await anext(early)
    assert first.type == ChunkType.CONTENT
    with pytest.raises(StopAsyncIteration):
        await anext(early)


async def test_bad_messages_end_the_turn_with_an_error_not_a_traceback(fake_server, closing):
    backend = closing(ClaudeBackend(api_key=FAKE_KEY, base_url=fake_server.anthropic_base_url, **FAST))
    chunks = await collect(backend.stream_with_tools([{"role": "narrator", "content": "x"}]))
    assert kinds(chunks) == ["error", "done"] and "messages[0]" in chunks[0].error
    missing = {"type": "image", "path": "/nonexistent/cat.png"}
    chunks = await collect(backend.stream_with_tools(user("see", missing)))
    sent = fake_server.last("anthropic.messages").json["messages"][0]["content"]
    assert "not sent" in sent[1]["text"] and kinds(chunks)[-1] == "done"


def test_media_chunks_validate_for_a_real_png():
    from massgen.backend.media_out import media_chunk

    png = tiny_png(3, 2)
    chunk = media_chunk(source="a", media_id="m1", b64_text=base64.urlsafe_b64encode(png).decode().rstrip("="))
    assert chunk.validate() and base64.b64decode(chunk.media_data) == png
    assert (chunk.media_metadata.width, chunk.media_metadata.height) == (3, 2)

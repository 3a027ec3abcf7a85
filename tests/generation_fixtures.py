"""Fixtures for the generation tests: a clean environment, and one pointing every backend at the fake."""

from __future__ import annotations

import os
from typing import Iterator

import pytest

from fake_providers import FAKE_KEY, FakeProviderServer

GENERATION_ENV = ("OPENAI_", "GOOGLE_", "GEMINI_", "XAI_", "OPENROUTER_", "ELEVENLABS_", "SD_WEBUI_")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No generation keys or server addresses from the developer's shell."""
    for name in list(os.environ):
        if name.startswith(GENERATION_ENV):
            monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture
def provider_env(clean_env: None, fake_server: FakeProviderServer, monkeypatch: pytest.MonkeyPatch) -> FakeProviderServer:
    """Every generation backend keyed and pointed at the fake server."""
    url = fake_server.url
    values = {
        "OPENAI_API_KEY": FAKE_KEY, "OPENAI_BASE_URL": fake_server.openai_base_url,
        "GOOGLE_API_KEY": FAKE_KEY, "GOOGLE_GEMINI_BASE_URL": fake_server.gemini_base_url,
        "GOOGLE_VERTEX_BASE_URL": f"{url}/vertex",
        "XAI_API_KEY": FAKE_KEY, "XAI_BASE_URL": f"{url}/xai/v1",
        "OPENROUTER_API_KEY": FAKE_KEY, "OPENROUTER_BASE_URL": f"{url}/openrouter/v1",
        "ELEVENLABS_API_KEY": FAKE_KEY, "ELEVENLABS_BASE_URL": url,
        "SD_WEBUI_URL": url,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return fake_server

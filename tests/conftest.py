"""Shared fixtures: one fake provider server per session, reset and an isolated environment per test."""

from __future__ import annotations

import os
from typing import Iterator

import pytest

from fake_providers import FAKE_KEY, FakeProviderServer
from massgen.providers import PROVIDERS

_PROVIDER_ENV = ("OPENAI_", "ANTHROPIC_", "GOOGLE_", "GEMINI_", "XAI_", "AZURE_OPENAI_")
_TABLE_ENV = frozenset(v for p in PROVIDERS.values() for v in (*p.key_env, p.url_env) if v)  # presets' keys too


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeProviderServer]:
    """The fake provider on 127.0.0.1:<free port>, expecting FAKE_KEY; reset around each test."""
    with FakeProviderServer(api_key=FAKE_KEY) as server:
        yield server


@pytest.fixture(autouse=True)
def _isolated_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[None]:
    """No provider keys or proxies from the developer's shell; loopback never goes through a proxy."""
    for name in list(os.environ):
        if name.startswith(_PROVIDER_ENV) or name in _TABLE_ENV or name.lower().endswith("_proxy"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("ANTHROPIC_CONFIG_DIR", str(tmp_path / "anthropic-config"))
    if "fake_server" not in request.fixturenames:
        yield
        return
    server: FakeProviderServer = request.getfixturevalue("fake_server")
    server.reset()
    yield
    errors = list(server.handler_errors)
    server.reset()
    assert not errors, f"the fake server itself failed: {errors}"


@pytest.fixture
def halfcell() -> Iterator[None]:
    """Images drawn with half-cell blocks, as in any terminal (and the same in every snapshot)."""
    from widgets.image_renderer import set_image_renderer

    set_image_renderer("halfcell")
    yield
    set_image_renderer(None)

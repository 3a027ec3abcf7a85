"""The one provider table: every reader agrees with it, OpenAI-compatible presets find their key
variable (by type or by base_url host), "local" has one meaning, and no key value reaches a message."""

from __future__ import annotations

import importlib

import pytest

from backend_helpers import FAST, closing, collect, text_of, user
from fake_providers import FAKE_KEY
from massgen import config as config_pkg
from massgen import errors
from massgen.backend import ChatCompletionsBackend, LLMBackend, create_backend
from massgen.config import OrchestratorConfig, check_api_keys, load_config_text
from massgen.generation import registry
from massgen.generation.errors import GenerationInputError
from massgen.generation.selector import select
from massgen.media.limits import limits_for
from massgen.orchestrator.state import RunLimits
from massgen.providers import PROVIDERS, api_key, by_host, chat_provider, chat_types

__all__ = ["closing"]

SECRET = "sk-preset-DO-NOT-LEAK-0123456789"
# name -> (base URL, key variable or None); what MassGen's cli.py and the providers' documentation give.
PRESETS = {
    "cerebras": ("https://api.cerebras.ai/v1", "CEREBRAS_API_KEY"),
    "fireworks": ("https://api.fireworks.ai/inference/v1", "FIREWORKS_API_KEY"),
    "nebius": ("https://api.tokenfactory.nebius.com/v1", "NEBIUS_API_KEY"),
    "together": ("https://api.together.xyz/v1", "TOGETHER_API_KEY"),
    "groq": ("https://api.groq.com/openai/v1", "GROQ_API_KEY"),
    "openrouter": ("https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"),
    "zai": ("https://api.z.ai/api/paas/v4", "ZAI_API_KEY"),
    "lmstudio": ("http://localhost:1234/v1", None),
    "vllm": ("http://localhost:8000/v1", None),
    "ollama": ("http://localhost:11434/v1", None),
}


def test_every_chat_type_names_an_importable_backend_class() -> None:
    for name in chat_types():
        module, _, cls = str(PROVIDERS[name].chat_class).partition(":")
        assert issubclass(getattr(importlib.import_module(module), cls), LLMBackend), name


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_a_preset_type_builds_chat_completions_at_its_address(monkeypatch, name: str) -> None:
    url, var = PRESETS[name]
    if var:
        monkeypatch.setenv(var, SECRET)
    backend = create_backend({"type": name, "model": "m"}, agent_id="a1")
    assert type(backend) is ChatCompletionsBackend
    assert (backend.base_url, backend.backend_type, backend._api_key) == (url, name, SECRET if var else None)
    assert SECRET not in repr(backend)


@pytest.mark.parametrize("name", sorted(n for n, (_, var) in PRESETS.items() if var))
def test_a_hosted_preset_without_its_key_names_the_variable(name: str) -> None:
    var = PRESETS[name][1]
    with pytest.raises(errors.ConfigError, match=f"a1 \\({name}\\): no API key; set {var} or give backend.api_key"):
        create_backend({"type": name, "model": "m"}, agent_id="a1")


@pytest.mark.parametrize("url, name", [
    ("https://api.cerebras.ai/v1", "cerebras"),  # 19 of MassGen's configs
    ("https://api.z.ai/api/paas/v4/", "zai"),
    ("https://open.bigmodel.cn/api/paas/v4", "zai"),
    ("https://api.groq.com/openai/v1", "groq"),
    ("https://api.studio.nebius.ai/v1", "nebius"),  # MassGen's older Nebius address
    ("https://api.together.xyz/v1", "together"),
    ("https://openrouter.ai/api/v1", "openrouter"),
])
def test_a_chatcompletion_agent_at_a_known_host_uses_that_providers_key(monkeypatch, url: str, name: str) -> None:
    var = PROVIDERS[name].key_env[0]
    with pytest.raises(errors.ConfigError, match=f"set {var} "):
        create_backend({"type": "chatcompletion", "model": "m", "base_url": url})
    monkeypatch.setenv(var, SECRET)
    backend = create_backend({"type": "chatcompletion", "model": "m", "base_url": url})
    assert (backend.backend_type, backend._api_key, backend.base_url) == (name, SECRET, url)


@pytest.mark.parametrize("url", ["http://localhost:8000/v1", "http://127.0.0.1:30000/v1", "https://notgroq.com/v1",
                                 "https://xz.ai/v1", "https://example.com/groq.com/v1"])
def test_other_hosts_stay_generic_and_need_no_key(url: str) -> None:
    assert by_host(url) is None
    backend = create_backend({"type": "chatcompletion", "model": "m", "base_url": url})
    assert (backend.backend_type, backend._api_key) == ("chatcompletion", None)


def test_the_config_check_names_the_hosts_key_on_the_agents_line() -> None:
    text = ("agents:\n  - id: fast\n    backend:\n      type: chatcompletion\n      model: llama-3.3-70b\n"
            "      base_url: https://api.cerebras.ai/v1\n  - id: glm\n    backend:\n      type: zai\n"
            "      model: glm-4.5\n  - id: here\n    backend:\n      type: lmstudio\n      model: qwen\n")
    team = load_config_text(text, "team.yaml")
    assert [a.backend.type for a in team.agents] == ["chatcompletion", "zai", "lmstudio"]
    assert check_api_keys(team, environ={}) == [
        "team.yaml:3: agents[0] 'fast' (cerebras): no API key; set CEREBRAS_API_KEY or give backend.api_key",
        "team.yaml:8: agents[1] 'glm' (zai): no API key; set ZAI_API_KEY or give backend.api_key",
    ]
    assert check_api_keys(team, environ={"CEREBRAS_API_KEY": SECRET, "ZAI_API_KEY": SECRET}) == []


def test_a_key_written_for_a_preset_suggests_its_variable_and_is_never_shown() -> None:
    text = f"agents:\n  - id: g\n    backend:\n      type: groq\n      model: m\n      api_key: {SECRET}\n"
    team = load_config_text(text, "team.yaml")
    assert team.warnings == ["team.yaml:6: agents[0].backend.api_key: an API key is written in the config; "
                             "prefer setting GROQ_API_KEY"]
    assert SECRET not in repr(team) and SECRET not in team.model_dump_json()


@pytest.mark.parametrize("name, var", [("groq", "GROQ_API_KEY"), ("vllm", "VLLM_API_KEY")])
async def test_a_presets_key_variable_reaches_the_server(fake_server, closing, monkeypatch, name: str, var: str) -> None:
    """The preset's variable (required for groq, optional for vLLM) goes out as the bearer token."""
    monkeypatch.setenv(var, FAKE_KEY)
    backend = closing(create_backend({"type": name, "model": "m", "base_url": fake_server.openai_base_url, **FAST}))
    chunks = await collect(backend.stream_with_tools(user("hi"), []))
    assert text_of(chunks) == "Echo: hi"
    assert fake_server.last("openai.chat").headers["authorization"] == f"Bearer {FAKE_KEY}"


def test_local_means_an_openai_compatible_server_everywhere() -> None:
    assert chat_provider("local").name == "chatcompletion"
    assert limits_for("local").backend_type == "chatcompletion"
    with pytest.raises(GenerationInputError, match="'local' is not a generation backend"):
        select("image", backend="local")
    assert registry.normalize_name("offline") == "demo"


def test_gemini_keys_in_one_order_the_one_google_genai_prefers() -> None:
    both = {"GOOGLE_API_KEY": "google-key-1", "GEMINI_API_KEY": "gemini-key-2"}
    assert PROVIDERS["gemini"].key_env == ("GOOGLE_API_KEY", "GEMINI_API_KEY")
    assert api_key(PROVIDERS["gemini"], both) == "google-key-1"
    assert select("image", backend="gemini", environ=both).api_key == "google-key-1"


def test_gemini_is_one_provider_that_generation_calls_google() -> None:
    assert registry.BACKENDS["google"] is PROVIDERS["gemini"]
    assert chat_provider("google") is PROVIDERS["gemini"]
    assert select("video", backend="gemini", environ={"GEMINI_API_KEY": "k"}).name == "google"


def test_backend_options_build_a_backend_as_the_config_package_shows() -> None:
    team = load_config_text("agents:\n  - id: d\n    backend: {type: demo}\n", "t.yaml")
    [backend] = [create_backend(agent.backend_options()) for agent in team.agents]
    assert backend.agent_id == "d" and backend.backend_type == "demo"


def test_one_config_error_for_one_problem_or_many() -> None:
    assert config_pkg.ConfigError is errors.ConfigError
    assert errors.ConfigError("one").problems == ["one"]
    assert str(errors.ConfigError(["a", "", "b"])) == "a\nb"


def test_run_limits_default_to_the_config_models() -> None:
    defaults = OrchestratorConfig()
    assert RunLimits() == RunLimits(defaults.max_answers_per_agent, defaults.max_rounds, defaults.timeout_seconds,
                              defaults.max_reask)

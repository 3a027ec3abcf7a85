"""Registration and selection (seed 001 §6): key variables, default models, priorities, and the
selector's order, errors and model ownership."""

from __future__ import annotations

import pytest

from massgen.generation import registry
from massgen.generation.errors import BackendUnavailable, GenerationInputError
from massgen.generation.selector import continuation_backend, select
from massgen.stream_chunk import MediaType

pytestmark = pytest.mark.usefixtures("clean_env")
IMAGE, VIDEO, AUDIO = MediaType.IMAGE, MediaType.VIDEO, MediaType.AUDIO

pytest_plugins = ("generation_fixtures",)


def test_each_backend_names_its_key_variables():
    keys = {name: b.key_env for name, b in registry.BACKENDS.items()}
    assert keys["openai"] == ("OPENAI_API_KEY",)
    assert keys["google"] == ("GOOGLE_API_KEY", "GEMINI_API_KEY")
    assert keys["grok"] == ("XAI_API_KEY",)
    assert keys["openrouter"] == ("OPENROUTER_API_KEY",)
    assert keys["elevenlabs"] == ("ELEVENLABS_API_KEY",)
    assert keys["sd"] == () and registry.BACKENDS["sd"].needs_url
    assert keys["demo"] == ()


def test_every_prioritised_backend_has_a_default_model_and_module_for_that_type():
    for media_type, names in registry.PRIORITY.items():
        for name in names:
            backend = registry.BACKENDS[name]
            assert backend.model(media_type) is not None, (name, media_type)
            assert media_type in backend.modules, (name, media_type)


def test_every_backend_that_makes_a_type_is_in_that_types_priority():
    for backend in registry.BACKENDS.values():
        for media_type in backend.modules:
            assert backend.maker in registry.PRIORITY[media_type], (backend.maker, media_type)


def test_priority_order():
    assert registry.PRIORITY[IMAGE] == ("google", "openai", "grok", "openrouter", "sd", "demo")
    assert registry.PRIORITY[VIDEO] == ("grok", "google", "openai")
    assert registry.PRIORITY[AUDIO] == ("elevenlabs", "openai")


def test_without_keys_images_fall_to_the_offline_demo_and_video_is_a_clear_error():
    assert select("image").name == "demo"
    with pytest.raises(BackendUnavailable) as err:
        select("video")
    message = str(err.value)
    assert "XAI_API_KEY" in message and "OPENAI_API_KEY" in message and "GOOGLE_API_KEY" in message


@pytest.mark.parametrize("variable,expected", [
    ("OPENAI_API_KEY", "openai"), ("GEMINI_API_KEY", "google"), ("GOOGLE_API_KEY", "google"),
    ("XAI_API_KEY", "grok"), ("OPENROUTER_API_KEY", "openrouter"),
])
def test_only_one_key_selects_that_backend_for_images(monkeypatch, variable, expected):
    monkeypatch.setenv(variable, "k-123")
    chosen = select("image")
    assert chosen.name == expected
    assert chosen.model == registry.BACKENDS[expected].model(IMAGE)
    assert chosen.reason == "priority"


def test_with_several_keys_priority_decides(monkeypatch):
    for variable in ("OPENAI_API_KEY", "XAI_API_KEY", "GEMINI_API_KEY", "ELEVENLABS_API_KEY"):
        monkeypatch.setenv(variable, "k")
    assert select("image").name == "google"
    assert select("video").name == "grok"
    assert select("audio").name == "elevenlabs"
    monkeypatch.delenv("GEMINI_API_KEY")
    assert select("image").name == "openai"


def test_sd_is_available_only_with_a_server_address(monkeypatch):
    assert "sd" not in registry.available_backends("image")
    monkeypatch.setenv("SD_WEBUI_URL", "http://127.0.0.1:7860")
    assert registry.available_backends("image") == ["sd", "demo"]
    assert select("image").name == "sd"


def test_empty_key_counts_as_missing(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "  ")
    assert select("image").name == "demo"


def test_explicit_unavailable_backend_is_an_error_naming_the_variable_not_a_fallback(monkeypatch):
    monkeypatch.setenv("XAI_API_KEY", "k")
    with pytest.raises(BackendUnavailable) as err:
        select("image", backend="openai")
    assert "OPENAI_API_KEY" in str(err.value) and "grok" in str(err.value)


def test_config_backend_that_is_unavailable_is_an_error_too():
    with pytest.raises(BackendUnavailable, match="SD_WEBUI_URL"):
        select("image", config={"model": "sdxl-turbo", "steps": 25})


@pytest.mark.parametrize("name", ["OpenAI", "OPENAI", " openai ", "dall-e", "Gpt-Image"])
def test_backend_names_are_case_insensitive_with_aliases(monkeypatch, name):
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    assert select("image", backend=name).name == "openai"


def test_unknown_backend_lists_the_known_ones():
    with pytest.raises(GenerationInputError, match="choose one of: demo, elevenlabs, google"):
        select("image", backend="midjourney")


def test_backend_that_cannot_make_the_type_says_which_can(monkeypatch):
    monkeypatch.setenv("ELEVENLABS_API_KEY", "k")
    with pytest.raises(GenerationInputError, match="cannot make image"):
        select("image", backend="elevenlabs")


def test_config_model_is_never_sent_to_another_backend(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("GOOGLE_API_KEY", "k")
    config = {"backend": "google", "model": "imagen-4.0-generate-001"}
    chosen = select("image", backend="openai", config=config)
    assert (chosen.name, chosen.model) == ("openai", registry.BACKENDS["openai"].model(IMAGE))
    chosen = select("image", config=config)
    assert (chosen.name, chosen.model) == ("google", "imagen-4.0-generate-001")


def test_explicit_model_of_another_family_is_an_error(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("GOOGLE_API_KEY", "k")
    with pytest.raises(GenerationInputError, match="belongs to google"):
        select("image", backend="openai", model="imagen-4.0-generate-001")


def test_model_alone_picks_its_backend(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("GOOGLE_API_KEY", "k")
    chosen = select("image", model="dall-e-3")
    assert (chosen.name, chosen.model, chosen.reason) == ("openai", "dall-e-3", "model")
    assert registry.backend_for_model("google/gemini-3.1-flash-image-preview") == "openrouter"
    assert registry.backend_for_model("sdxl-turbo") == "sd"
    assert registry.backend_for_model("grok-imagine-image") == "grok"


def test_seed_case_study_tool_configs_select_their_backends(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("SD_WEBUI_URL", "http://127.0.0.1:7860")
    dalle = select("image", config={"model": "dall-e-3", "size": "1024x1024", "quality": "hd", "style": "vivid"})
    sd = select("image", config={"model": "sdxl-turbo", "steps": 25, "cfg_scale": 7.5, "sampler": "DPM++ 2M Karras"})
    assert (dalle.name, dalle.model) == ("openai", "dall-e-3")
    assert (sd.name, sd.model) == ("sd", "sdxl-turbo")


def test_continuation_routes_to_the_backend_that_made_it(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("GOOGLE_API_KEY", "k")
    assert select("image", continue_from="openai:resp_123").name == "openai"
    assert select("image", continue_from="demo:ab12").name == "demo"
    assert continuation_backend("OpenAI:resp_1") == "openai"
    with pytest.raises(GenerationInputError, match="was made by openai, not google"):
        select("image", backend="google", continue_from="openai:resp_123")
    with pytest.raises(GenerationInputError, match="not a continuation id"):
        select("image", continue_from="resp_123")


def test_selection_never_shows_the_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value-1234")
    chosen = select("image", backend="openai")
    assert chosen.api_key == "sk-secret-value-1234"
    assert "sk-secret" not in repr(chosen)


def test_base_url_comes_from_the_config_only_for_its_own_backend(monkeypatch):
    monkeypatch.setenv("XAI_API_KEY", "k")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    config = {"backend": "grok", "base_url": "http://127.0.0.1:9/xai/v1"}
    assert select("image", config=config).base_url == "http://127.0.0.1:9/xai/v1"
    assert select("image", backend="openai", config=config).base_url is None
    assert select("image", backend="grok").base_url == "https://api.x.ai/v1"


def test_unknown_mode_is_an_error():
    with pytest.raises(GenerationInputError, match="image, video, audio"):
        select("hologram")

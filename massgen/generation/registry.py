"""The media generation backends as data: key variables, default models, priorities, input limits.

Pure data and lookups, no SDK imports: the selector, the tools and the UI read it at no cost.
Adding a backend is one `GenBackend(...)` entry here, one module, and its name in `PRIORITY`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping

from massgen.media.limits import MB, MediaLimit
from massgen.stream_chunk import MediaType

from .errors import GenerationInputError

IMAGE, VIDEO, AUDIO = MediaType.IMAGE, MediaType.VIDEO, MediaType.AUDIO
GENERATED_TYPES = (IMAGE, VIDEO, AUDIO)

_PNG_JPEG_WEBP = frozenset({"image/png", "image/jpeg", "image/webp"})


@dataclass(frozen=True)
class GenBackend:
    """One generation backend: how it is named, keyed, reached, and what it makes.

    `key_env`: env vars of which any one supplies the key (empty: no key needed).
    `url_env`: env var naming the server; `needs_url` makes the backend available only when it is set.
    `modules`: per media type, the module whose `run(job)` does the work.
    `model_prefixes`: model names that belong to this backend (a model is never sent elsewhere).
    """

    name: str
    label: str
    key_env: tuple[str, ...]
    models: Mapping[MediaType, str]
    modules: Mapping[MediaType, str]
    aliases: tuple[str, ...] = ()
    model_prefixes: tuple[str, ...] = ()
    url_env: str | None = None
    default_url: str | None = None
    needs_url: bool = False
    input_limit: MediaLimit = field(default_factory=lambda: MediaLimit(20 * MB, _PNG_JPEG_WEBP, max_side=2048))
    extra_models: Mapping[str, str] = field(default_factory=dict)

    def makes(self, media_type: MediaType) -> bool:
        return media_type in self.models


_M = "massgen.generation."

BACKENDS: dict[str, GenBackend] = {
    b.name: b
    for b in (
        GenBackend(
            "openai", "OpenAI", ("OPENAI_API_KEY",),
            {IMAGE: "gpt-image-2.5-sunburst", VIDEO: "sora-2", AUDIO: "gpt-4o-mini-tts"},
            {IMAGE: _M + "image_openai", VIDEO: _M + "video_sora", AUDIO: _M + "audio_openai"},
            aliases=("dalle", "dall-e", "gpt-image", "sora"),
            model_prefixes=("gpt-image", "dall-e", "chatgpt-image", "sora", "tts-", "gpt-4o-mini-tts",
                            "gpt-transcribe", "gpt-4o-transcribe", "whisper"),
            url_env="OPENAI_BASE_URL",
            input_limit=MediaLimit(20 * MB, _PNG_JPEG_WEBP, max_side=2048),
            extra_models={"responses": "gpt-5-mini", "transcription": "gpt-transcribe"},
        ),
        GenBackend(
            "google", "Google", ("GOOGLE_API_KEY", "GEMINI_API_KEY"),
            {IMAGE: "gemini-3.1-flash-image", VIDEO: "veo-3.1-generate-preview"},
            {IMAGE: _M + "image_google", VIDEO: _M + "video_veo"},
            aliases=("gemini", "imagen", "veo", "vertex"),
            model_prefixes=("gemini-", "imagen-", "veo-"),
            url_env="GOOGLE_GEMINI_BASE_URL",
            input_limit=MediaLimit(20 * MB, _PNG_JPEG_WEBP, max_side=3072),
            extra_models={"imagen_edit": "imagen-3.0-capability-001"},
        ),
        GenBackend(
            "grok", "Grok (xAI)", ("XAI_API_KEY",),
            {IMAGE: "grok-imagine-image", VIDEO: "grok-imagine-video"},
            {IMAGE: _M + "image_grok", VIDEO: _M + "video_grok"},
            aliases=("xai", "x.ai"),
            model_prefixes=("grok-",),
            url_env="XAI_BASE_URL", default_url="https://api.x.ai/v1",
            input_limit=MediaLimit(10 * MB, frozenset({"image/png", "image/jpeg"}), max_side=2048),
        ),
        GenBackend(
            "openrouter", "OpenRouter", ("OPENROUTER_API_KEY",),
            {IMAGE: "google/gemini-3.1-flash-image-preview"},
            {IMAGE: _M + "image_openrouter"},
            url_env="OPENROUTER_BASE_URL", default_url="https://openrouter.ai/api/v1",
        ),
        GenBackend(
            "elevenlabs", "ElevenLabs", ("ELEVENLABS_API_KEY",),
            {AUDIO: "eleven_multilingual_v2"},
            {AUDIO: _M + "audio_elevenlabs"},
            aliases=("eleven_labs", "eleven-labs", "11labs"),
            model_prefixes=("eleven_",),
            url_env="ELEVENLABS_BASE_URL", default_url="https://api.elevenlabs.io",
            extra_models={"sound_effect": "eleven_text_to_sound_v2"},
        ),
        GenBackend(
            "sd", "Stable Diffusion (AUTOMATIC1111 API)", (),
            {IMAGE: ""},
            {IMAGE: _M + "image_sd"},
            aliases=("stable_diffusion", "stable-diffusion", "stablediffusion", "a1111", "automatic1111", "sdwebui"),
            model_prefixes=("sdxl", "sd-", "sd_", "sd1", "sd2", "sd3", "stable-diffusion", "stable_diffusion"),
            url_env="SD_WEBUI_URL", needs_url=True,
            input_limit=MediaLimit(20 * MB, _PNG_JPEG_WEBP, max_side=2048),
        ),
        GenBackend(
            "demo", "Offline demo", (),
            {IMAGE: "demo-scene-1"},
            {IMAGE: "massgen.demo.image"},
            aliases=("offline", "local"),
            model_prefixes=("demo",),
            input_limit=MediaLimit(50 * MB, frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"}),
                                   max_pixels=16_000_000),
        ),
    )
}

# Auto-selection order per media type: the first available backend wins. The offline demo comes
# last, so a machine without keys still draws images while any configured provider is preferred.
PRIORITY: dict[MediaType, tuple[str, ...]] = {
    IMAGE: ("google", "openai", "grok", "openrouter", "sd", "demo"),
    VIDEO: ("grok", "google", "openai"),
    AUDIO: ("elevenlabs", "openai"),
}

_ALIASES = {alias: b.name for b in BACKENDS.values() for alias in (b.name, *b.aliases)}


def normalize_name(name: str) -> str:
    """The registry name for a backend name or alias, case-insensitively; errors list the known ones."""
    key = _ALIASES.get(str(name).strip().lower())
    if key is None:
        known = ", ".join(sorted(BACKENDS))
        raise GenerationInputError(f"backend {name!r} is not a generation backend; choose one of: {known}")
    return key


def get_backend(name: str) -> GenBackend:
    return BACKENDS[normalize_name(name)]


def as_generated_type(value: MediaType | str) -> MediaType:
    """image/video/audio as a MediaType; anything else is a clear error."""
    text = value.value if isinstance(value, MediaType) else str(value).strip().lower()
    for media_type in GENERATED_TYPES:
        if media_type.value == text:
            return media_type
    raise GenerationInputError(f"mode {value!r} is not one of: image, video, audio")


def api_key(backend: GenBackend, environ: Mapping[str, str] | None = None) -> str | None:
    """The first non-empty key among the backend's variables."""
    env = os.environ if environ is None else environ
    for var in backend.key_env:
        value = env.get(var, "").strip()
        if value:
            return value
    return None


def base_url(backend: GenBackend, environ: Mapping[str, str] | None = None) -> str | None:
    """The server address from the backend's URL variable, else its default (None: the SDK's own)."""
    env = os.environ if environ is None else environ
    if backend.url_env and env.get(backend.url_env, "").strip():
        return env[backend.url_env].strip()
    return backend.default_url


def missing_requirement(backend: GenBackend, environ: Mapping[str, str] | None = None) -> str | None:
    """What is missing for the backend to run ('set X or Y'), or None when it can run."""
    env = os.environ if environ is None else environ
    if backend.key_env and api_key(backend, env) is None:
        return "set " + " or ".join(backend.key_env)
    if backend.needs_url and not (backend.url_env and env.get(backend.url_env, "").strip()):
        return f"set {backend.url_env} to the server's address (for example http://127.0.0.1:7860)"
    return None


def is_available(name: str, environ: Mapping[str, str] | None = None) -> bool:
    return missing_requirement(get_backend(name), environ) is None


def default_model(name: str, media_type: MediaType | str) -> str | None:
    return get_backend(name).models.get(as_generated_type(media_type))


def backend_for_model(model: str) -> str | None:
    """The backend a model name belongs to ("dall-e-3" -> openai, "a/b" -> openrouter), or None."""
    text = model.strip().lower()
    if "/" in text:
        return "openrouter"
    for backend in BACKENDS.values():
        if any(text.startswith(prefix) for prefix in backend.model_prefixes):
            return backend.name
    return None


def available_backends(media_type: MediaType | str, environ: Mapping[str, str] | None = None) -> list[str]:
    """Backends that can make `media_type` here, in priority order."""
    kind = as_generated_type(media_type)
    return [name for name in PRIORITY[kind] if missing_requirement(BACKENDS[name], environ) is None]


def setup_hint(media_type: MediaType | str) -> str:
    """One line naming what to set for each backend of a media type."""
    kind = as_generated_type(media_type)
    parts = []
    for name in PRIORITY[kind]:
        need = missing_requirement(BACKENDS[name], {})
        parts.append(f"{name}: {need.removeprefix('set ')}" if need else f"{name}: nothing")
    return "; ".join(parts)

"""Generation over the provider table: which providers make which media, with what key, server and model.

Pure lookups, no SDK imports: the selector, the tools and the UI read it at no cost. Adding a
generation backend is one module and, in `massgen.providers`, its `modules` and its place in `PRIORITY`.
"""

from __future__ import annotations

import os
from typing import Mapping

from massgen.providers import PRIORITY, PROVIDERS, Provider, api_key, get
from massgen.stream_chunk import MediaType

from .errors import GenerationInputError

__all__ = ["BACKENDS", "PRIORITY", "api_key", "available_backends", "backend_for_model", "base_url", "default_model",
           "get_backend", "is_available", "missing_requirement", "normalize_name", "setup_hint"]

IMAGE, VIDEO, AUDIO = MediaType.IMAGE, MediaType.VIDEO, MediaType.AUDIO
GENERATED_TYPES = (IMAGE, VIDEO, AUDIO)

# The providers that generate, by the name generation knows them by ("google" for Gemini's side).
BACKENDS: dict[str, Provider] = {p.maker: p for p in PROVIDERS.values() if p.modules}


def normalize_name(name: str) -> str:
    """The generation name for a provider name or alias, case-insensitively; errors list the known ones."""
    provider = get(name)
    if provider is None or provider.maker not in BACKENDS:
        known = ", ".join(sorted(BACKENDS))
        raise GenerationInputError(f"backend {name!r} is not a generation backend; choose one of: {known}")
    return provider.maker


def get_backend(name: str) -> Provider:
    return BACKENDS[normalize_name(name)]


def as_generated_type(value: MediaType | str) -> MediaType:
    """image/video/audio as a MediaType; anything else is a clear error."""
    text = value.value if isinstance(value, MediaType) else str(value).strip().lower()
    for media_type in GENERATED_TYPES:
        if media_type.value == text:
            return media_type
    raise GenerationInputError(f"mode {value!r} is not one of: image, video, audio")


def base_url(backend: Provider, environ: Mapping[str, str] | None = None) -> str | None:
    """The server address from the backend's URL variable, else its default (None: the SDK's own)."""
    env = os.environ if environ is None else environ
    if backend.url_env and env.get(backend.url_env, "").strip():
        return env[backend.url_env].strip()
    return backend.base_url


def missing_requirement(backend: Provider, environ: Mapping[str, str] | None = None) -> str | None:
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
    return get_backend(name).model(as_generated_type(media_type))


def backend_for_model(model: str) -> str | None:
    """The backend a model name belongs to ("dall-e-3" -> openai, "a/b" -> openrouter), or None."""
    text = model.strip().lower()
    if "/" in text:
        return "openrouter"
    for backend in BACKENDS.values():
        if any(text.startswith(prefix) for prefix in backend.model_prefixes):
            return backend.maker
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

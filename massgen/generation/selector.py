"""The one selector: which backend and model make a piece of media.

Backend: the continuation's maker, else the explicit one, else the one the model belongs to, else
the config's, else the first available by priority. An explicit backend that cannot run is an error
naming the variable to set (never a silent fallback), and a model given for one backend is never
sent to another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from massgen.providers import Provider
from massgen.stream_chunk import MediaType

from . import registry
from .errors import BackendUnavailable, GenerationInputError


@dataclass(frozen=True)
class Selection:
    """The chosen backend and model, with the key and server address it will use (key never shown)."""

    backend: Provider
    model: str
    media_type: MediaType
    reason: str
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None

    @property
    def name(self) -> str:
        return self.backend.maker


def continuation_backend(continue_from: str) -> str:
    """The backend named by a continuation id ("demo:ab12" -> "demo")."""
    text = str(continue_from).strip()
    head, sep, token = text.partition(":")
    if not sep or not token:
        raise GenerationInputError(
            f"continue_from {continue_from!r} is not a continuation id; use the 'backend:id' value returned "
            "with a generated file"
        )
    return registry.normalize_name(head)


def select(
    media_type: MediaType | str,
    backend: str | None = None,
    model: str | None = None,
    config: Mapping[str, Any] | None = None,
    continue_from: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Selection:
    """Pick backend and model for one request; see the module docstring for the order."""
    kind = registry.as_generated_type(media_type)
    config = config or {}
    explicit = _given(backend)
    model = _given(model)
    config_model = _given(config.get("model"))
    config_backend = _config_backend(config, config_model)

    name, reason = _choose(kind, explicit, model, config_backend, continue_from, environ)
    chosen = registry.BACKENDS[name]
    if not chosen.makes(kind):
        makers = ", ".join(n for n in registry.PRIORITY[kind])
        raise GenerationInputError(f"backend {name!r} cannot make {kind.value}; choose one of: {makers}")
    _require_available(chosen, kind, reason, environ)
    _check_model_owner(model, name)
    if model is None and config_model is not None and config_backend == name:
        model = config_model
    chosen_model = model if model is not None else chosen.models[kind.value]
    return Selection(
        backend=chosen,
        model=chosen_model,
        media_type=kind,
        reason=reason,
        api_key=registry.api_key(chosen, environ),
        base_url=(_given(config.get("base_url")) if config_backend == name else None)
        or registry.base_url(chosen, environ),
    )


def _given(value: Any) -> str | None:
    """A user-supplied name, or None for missing/empty/"auto"."""
    if value is None:
        return None
    text = str(value).strip()
    return None if not text or text.lower() == "auto" else text


def _config_backend(config: Mapping[str, Any], config_model: str | None) -> str | None:
    name = _given(config.get("backend") or config.get("backend_type"))
    if name is not None:
        return registry.normalize_name(name)
    return registry.backend_for_model(config_model) if config_model else None


def _choose(
    kind: MediaType,
    explicit: str | None,
    model: str | None,
    config_backend: str | None,
    continue_from: str | None,
    environ: Mapping[str, str] | None,
) -> tuple[str, str]:
    """(backend name, why it was chosen)."""
    explicit_name = registry.normalize_name(explicit) if explicit else None
    if continue_from:
        maker = continuation_backend(continue_from)
        if explicit_name and explicit_name != maker:
            raise GenerationInputError(
                f"continue_from {continue_from!r} was made by {maker}, not {explicit_name}; "
                "drop the backend or start a new piece of media"
            )
        return maker, "continuation"
    if explicit_name:
        return explicit_name, "explicit"
    owner = registry.backend_for_model(model) if model else None
    if owner:
        return owner, "model"
    if config_backend:
        return config_backend, "config"
    available = registry.available_backends(kind, environ)
    if not available:
        raise BackendUnavailable(
            f"no {kind.value} generation backend is available; {registry.setup_hint(kind)}"
        )
    return available[0], "priority"


def _require_available(chosen: Provider, kind: MediaType, reason: str, environ: Mapping[str, str] | None) -> None:
    need = registry.missing_requirement(chosen, environ)
    if need is None:
        return
    others = [n for n in registry.available_backends(kind, environ) if n != chosen.maker]
    alternative = f", or choose one that is available: {', '.join(others)}" if others else ""
    why = {"continuation": "the continuation was made by it", "model": "the model belongs to it",
           "config": "the config names it", "explicit": "it was asked for"}.get(reason, reason)
    raise BackendUnavailable(f"{kind.value} backend {chosen.maker!r} ({why}) cannot run: {need}{alternative}")


def _check_model_owner(model: str | None, backend_name: str) -> None:
    """An explicit model of a known family must belong to the chosen backend."""
    if model is None:
        return
    owner = registry.backend_for_model(model)
    if owner is not None and owner != backend_name:
        raise GenerationInputError(
            f"model {model!r} belongs to {owner}, not {backend_name}; pick a {backend_name} model or backend={owner}"
        )

"""How limits on input media are described (MediaLimit, BackendLimits), and per-agent YAML overrides.

The figures themselves live in the provider table (`massgen.providers`); `limits_for` reads them.
Per-agent YAML (`multimodal_capabilities`, `media_limits`) overrides them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

from .kinds import MediaType

KB = 1024
MB = 1024 * 1024
GB = 1024 * MB

IMAGE_COMMON = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
PDF = frozenset({"application/pdf"})
AUDIO_WAV_MP3 = frozenset({"audio/wav", "audio/x-wav", "audio/mpeg"})


@dataclass(frozen=True)
class MediaLimit:
    """Limits for one media type on one backend; `upload_max_bytes` is the file-API ceiling."""

    max_bytes: int | None
    mime_types: frozenset[str]
    max_pixels: int | None = None
    max_side: int | None = None  # longest side worth sending: the provider downscales anything larger itself
    upload_max_bytes: int | None = None


@dataclass(frozen=True)
class BackendLimits:
    """What one backend takes in and gives out; keys are MediaType."""

    backend_type: str
    input: Mapping[MediaType, MediaLimit] = field(default_factory=dict)
    output: frozenset[MediaType] = frozenset()
    note: str = ""

    def accepts(self, media_type: MediaType | str) -> bool:
        return as_media_type(media_type) in self.input

    def limit(self, media_type: MediaType | str) -> MediaLimit | None:
        return self.input.get(as_media_type(media_type))

    def max_bytes(self, media_type: MediaType | str) -> int | None:
        lim = self.limit(media_type)
        return lim.max_bytes if lim else None

    def capabilities(self) -> dict[str, bool]:
        """What `LLMBackend.supports_multimodal_input()` returns: {"image": bool, "audio": ..., "video": ..., "document": ...}."""
        return {t.value: t in self.input for t in (MediaType.IMAGE, MediaType.AUDIO, MediaType.VIDEO, MediaType.DOCUMENT)}

    def output_capabilities(self) -> dict[str, bool]:
        return {t.value: t in self.output for t in (MediaType.IMAGE, MediaType.AUDIO, MediaType.VIDEO, MediaType.DOCUMENT)}


def as_media_type(value: MediaType | str) -> MediaType:
    if isinstance(value, MediaType):
        return value
    try:
        return MediaType(str(value).lower())
    except ValueError:
        allowed = ", ".join(m.value for m in MediaType)
        raise ValueError(f"media type {value!r} is not one of: {allowed}") from None


I, A, V, D = MediaType.IMAGE, MediaType.AUDIO, MediaType.VIDEO, MediaType.DOCUMENT

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": KB, "m": MB, "g": GB}


def parse_size(value: int | str) -> int:
    """Bytes from an int or a string such as '5MB', '512 KiB', '1.5G'."""
    if isinstance(value, bool):
        raise ValueError(f"size {value!r}: give a number of bytes or a string such as '5MB'")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"size {value}: must not be negative")
        return value
    match = _SIZE_RE.match(str(value))
    if not match:
        raise ValueError(f"size {value!r}: give a number of bytes or a string such as '5MB'")
    number, unit = match.groups()
    return int(float(number) * _UNITS[(unit or "")[:1].lower()])


def limits_for(backend_type: str, overrides: Mapping[str, Any] | None = None) -> BackendLimits:
    """The provider table's limits for `backend_type` (a name or alias), with per-agent overrides applied.

    overrides: {"input": ["image", ...], "output": [...], "max_bytes": {"image": "5MB"}}
    ValueError (listing the known types) when `backend_type` is not a chat backend type.
    """
    from massgen.providers import chat_provider  # imported here: the table is built from this module's types

    base = chat_provider(backend_type).limits
    if not overrides:
        return base
    return _apply_overrides(base, overrides)


def _apply_overrides(base: BackendLimits, overrides: Mapping[str, Any]) -> BackendLimits:
    inputs = dict(base.input)
    if overrides.get("input") is not None:
        wanted = {as_media_type(t) for t in _media_names(overrides["input"])}
        inputs = {t: inputs.get(t) or _default_limit(t) for t in wanted}
    for name, size in (overrides.get("max_bytes") or {}).items():
        t = as_media_type(name)
        current = inputs.get(t) or _default_limit(t)
        inputs[t] = replace(current, max_bytes=parse_size(size))
    output = base.output
    if overrides.get("output") is not None:
        output = frozenset(as_media_type(t) for t in _media_names(overrides["output"]))
    return replace(base, input=inputs, output=output)


def _media_names(values: Iterable[str]) -> list[str]:
    """Media names from YAML lists; 'text' is always implied, so it is skipped."""
    return [v for v in values if str(v).lower() != "text"]


def _default_limit(media_type: MediaType) -> MediaLimit:
    """Generic limit for a type a YAML override enables on a backend whose table entry lacks it."""
    defaults = {
        I: MediaLimit(20 * MB, IMAGE_COMMON),
        A: MediaLimit(25 * MB, AUDIO_WAV_MP3),
        V: MediaLimit(100 * MB, frozenset({"video/mp4", "video/webm", "video/quicktime"})),
        D: MediaLimit(32 * MB, PDF),
        MediaType.FILE: MediaLimit(32 * MB, frozenset()),
    }
    return defaults[media_type]

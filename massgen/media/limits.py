"""The one table of what each backend type accepts as input media, and how large it may be.

Values follow the providers' documentation as of late 2026; the seed's figures were used where
they still hold. Per-agent YAML (`multimodal_capabilities`, `media_limits`) overrides them.
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
GEMINI_AUDIO = frozenset({"audio/wav", "audio/x-wav", "audio/mpeg", "audio/aiff", "audio/aac", "audio/ogg", "audio/flac", "audio/mp4"})
GEMINI_VIDEO = frozenset({"video/mp4", "video/mpeg", "video/quicktime", "video/x-msvideo", "video/x-flv", "video/webm", "video/x-ms-wmv", "video/3gpp"})
GEMINI_IMAGE = frozenset({"image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"})


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
        """The seed's `supports_multimodal_input()` shape."""
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

# OpenAI: images up to 50 MB per request (20 MB each kept from the seed as the per-item figure);
# PDFs as input_file up to 32 MB; audio input only wav/mp3 on audio-capable Chat models.
_OPENAI_IMAGE = MediaLimit(20 * MB, IMAGE_COMMON, max_side=2048)
_OPENAI_PDF = MediaLimit(32 * MB, PDF)

LIMITS: dict[str, BackendLimits] = {
    "openai": BackendLimits("openai", {I: _OPENAI_IMAGE, D: _OPENAI_PDF}, frozenset({I})),
    "chatcompletion": BackendLimits(
        "chatcompletion",
        {},
        frozenset(),
        note="an OpenAI-compatible server's vision depends on its model; set multimodal_capabilities.input: [image]",
    ),
    "azure_openai": BackendLimits(
        "azure_openai", {}, frozenset(),
        note="vision depends on the deployment; set multimodal_capabilities.input: [image] for a vision deployment",
    ),
    # xAI: jpeg/png up to 10 MiB per image on vision models (the seed predates Grok vision).
    "grok": BackendLimits("grok", {I: MediaLimit(10 * MB, frozenset({"image/png", "image/jpeg"}))}, frozenset()),
    # Anthropic: 5 MB per image, at most 8000 px a side; 32 MB per request for PDFs (the seed's 10 MB is outdated),
    # and the request carries the PDF in base64, so 24 MB of file; larger ones go through the Files API.
    # Images over 1568 px on the long edge are downscaled by the API anyway, so fitting targets that.
    "claude": BackendLimits(
        "claude",
        {I: MediaLimit(5 * MB, IMAGE_COMMON, max_pixels=8000 * 8000, max_side=1568),
         D: MediaLimit(24 * MB, PDF, upload_max_bytes=500 * MB)},
        frozenset(),
    ),
    # Gemini: 20 MB per request with inline data in base64, so 15 MB of file; larger files through the Files API (2 GB each).
    "gemini": BackendLimits(
        "gemini",
        {I: MediaLimit(15 * MB, GEMINI_IMAGE, upload_max_bytes=2 * GB),
         A: MediaLimit(15 * MB, GEMINI_AUDIO, upload_max_bytes=2 * GB),
         V: MediaLimit(15 * MB, GEMINI_VIDEO, upload_max_bytes=2 * GB),
         D: MediaLimit(15 * MB, PDF, upload_max_bytes=2 * GB)},
        frozenset({I}),
    ),
    # Claude Code reads files from disk itself.
    "claude_code": BackendLimits(
        "claude_code", {I: MediaLimit(50 * MB, IMAGE_COMMON), D: MediaLimit(50 * MB, PDF)}, frozenset()
    ),
    # The offline demo reads image pixels for real and notes documents.
    "demo": BackendLimits(
        "demo", {I: MediaLimit(50 * MB, IMAGE_COMMON, max_pixels=64_000_000), D: MediaLimit(50 * MB, PDF)}, frozenset({I})
    ),
}

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
    """The table's entry for `backend_type`, with per-agent overrides applied.

    overrides: {"input": ["image", ...], "output": [...], "max_bytes": {"image": "5MB"}}
    """
    base = LIMITS.get(backend_type.lower())
    if base is None:
        raise ValueError(f"backend type {backend_type!r} has no limits entry; known: {', '.join(sorted(LIMITS))}")
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

"""What a generation is asked for (GenerationRequest); what it gives back is a massgen.media.MediaItem."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

from massgen.media.kinds import MediaType

from .errors import GenerationInputError
from .registry import as_generated_type

_SIZE = re.compile(r"^(auto|\d{2,5}x\d{2,5}|[124]k|512)$", re.IGNORECASE)
_RATIO = re.compile(r"^(auto|\d+(\.\d+)?:\d+(\.\d+)?)$")
AUDIO_FORMATS = ("mp3", "opus", "aac", "flac", "wav", "pcm")
_AUDIO_TYPES = {"speech": "speech", "tts": "speech", "text_to_speech": "speech",
                "sound_effect": "sound_effect", "sound_effects": "sound_effect", "sfx": "sound_effect"}
MAX_DURATION_SECONDS = 600.0
_PIXELS = re.compile(r"^(\d+)x(\d+)$")


@dataclass
class GenerationRequest:
    """One piece of media to make. `options` holds backend-specific settings (steps, cfg_scale, ...)."""

    prompt: str
    media_type: MediaType | str = MediaType.IMAGE
    backend: str | None = None
    model: str | None = None
    size: str | None = None
    quality: str | None = None
    aspect_ratio: str | None = None
    duration: float | None = None
    voice: str | None = None
    audio_format: str | None = None
    audio_type: str = "speech"
    input_images: tuple[str, ...] = ()
    continue_from: str | None = None
    negative_prompt: str | None = None
    seed: int | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.media_type = as_generated_type(self.media_type)
        self.prompt = _prompt(self.prompt)
        self.size = _match("size", self.size, _SIZE, "'1024x1024', 'auto' or '2K'")
        self.aspect_ratio = _match("aspect_ratio", self.aspect_ratio, _RATIO, "'16:9', '1:1' or 'auto'")
        self.duration = _duration(self.duration)
        self.audio_type = _choice("audio_type", self.audio_type or "speech", _AUDIO_TYPES)
        if self.audio_format is not None:
            fmt = str(self.audio_format).strip().lower()
            if fmt not in AUDIO_FORMATS:
                raise GenerationInputError(f"audio_format {self.audio_format!r} is not one of: {', '.join(AUDIO_FORMATS)}")
            self.audio_format = fmt
        self.input_images = _paths(self.input_images)
        if self.input_images and self.media_type == MediaType.AUDIO:
            raise GenerationInputError("input_images: audio is made from text only; leave the images out")
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int)):
            raise GenerationInputError(f"seed {self.seed!r} must be a whole number")
        if self.continue_from is not None:
            self.continue_from = str(self.continue_from).strip() or None
        self.options = dict(self.options or {})


def _prompt(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GenerationInputError("prompt must be non-empty text describing what to make")
    return value.strip()


def _match(name: str, value: Any, pattern: re.Pattern[str], example: str) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not pattern.match(text):
        raise GenerationInputError(f"{name} {value!r} is not valid; use a value such as {example}")
    return text


def _duration(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise GenerationInputError(f"duration {value!r} must be a number of seconds")
    try:
        seconds = float(value)
    except ValueError:
        raise GenerationInputError(f"duration {value!r} must be a number of seconds") from None
    if not math.isfinite(seconds) or seconds <= 0 or seconds > MAX_DURATION_SECONDS:
        raise GenerationInputError(f"duration {value!r} must be more than 0 and at most {MAX_DURATION_SECONDS:g} seconds")
    return seconds


def _choice(name: str, value: Any, table: dict[str, str]) -> str:
    key = str(value).strip().lower()
    if key not in table:
        raise GenerationInputError(f"{name} {value!r} is not one of: {', '.join(sorted(set(table.values())))}")
    return table[key]


def _paths(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, os.PathLike)):
        value = [value]
    out = []
    for item in value:
        if not isinstance(item, (str, os.PathLike)) or not str(item).strip():
            raise GenerationInputError(f"input_images: {item!r} is not a file path")
        out.append(os.fspath(item))
    return tuple(out)


def picture_size(size: str | None, aspect_ratio: str | None, default: tuple[int, int]) -> tuple[int, int]:
    """Pixels from '768x512', a ratio such as '16:9' (long side 1024), or the default; clamped to 64..2048."""
    if size and (m := _PIXELS.match(size.lower())):
        w, h = int(m.group(1)), int(m.group(2))
    elif aspect_ratio and ":" in aspect_ratio and aspect_ratio != "auto":
        a, b = (float(x) for x in aspect_ratio.split(":"))
        w, h = (1024, round(1024 * b / a)) if a >= b else (round(1024 * a / b), 1024)
    else:
        w, h = default
    return max(64, min(2048, w)), max(64, min(2048, h))

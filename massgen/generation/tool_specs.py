"""The generation tools as the model sees them: JSON-schema definitions, allowed YAML config keys,
and checking the arguments a model sends."""

from __future__ import annotations

import json
from typing import Any, Mapping

from massgen.media.kinds import MediaType

from .config import AUDIO_FORMATS
from .errors import GenerationInputError
from .generate import MAX_BATCH

MEDIA_TOOL_TYPES = {"image_generation": MediaType.IMAGE, "video_generation": MediaType.VIDEO,
                    "audio_generation": MediaType.AUDIO}
DEFAULT_NAMES = {"image_generation": "generate_image", "video_generation": "generate_video",
                 "audio_generation": "generate_audio", "text_extraction": "extract_text"}

_COMMON = {"backend", "model", "base_url", "timeout", "max_retries", "output_dir", "max_concurrent", "description"}
CONFIG_KEYS: dict[str, frozenset[str]] = {
    "image_generation": frozenset(_COMMON | {
        "size", "quality", "style", "aspect_ratio", "steps", "cfg_scale", "sampler", "scheduler", "negative_prompt",
        "seed", "output_format", "background", "partial_images", "denoising_strength", "api", "responses_model",
        "caption", "delay", "moderation", "resolution", "vertex_base_url", "api_version", "edit_model", "image_size",
    }),
    "video_generation": frozenset(_COMMON | {
        "size", "aspect_ratio", "duration", "resolution", "negative_prompt", "poll_interval", "poll_timeout",
        "vertex_base_url", "seed",
    }),
    "audio_generation": frozenset(_COMMON | {
        "voice", "audio_format", "audio_type", "speed", "instructions", "stability", "similarity_boost",
        "prompt_influence", "language",
    }),
    "text_extraction": frozenset({"languages", "preserve_formatting", "tables", "max_chars", "ocr_timeout",
                                  "description"}),
}

_STRING = {"type": "string"}
_PATHS = {"type": "array", "items": {"type": "string"}, "description": "file paths of images to edit or start from"}
_CONTINUE = {"type": "string", "description": "continuation_id of a file you made earlier, to change it"}


def media_definition(name: str, media_type: MediaType, config: Mapping[str, Any]) -> dict[str, Any]:
    """{name, description, parameters} for one generation tool."""
    made_by = f" with {config['backend']}" if config.get("backend") else ""
    if media_type == MediaType.IMAGE:
        props = {
            "prompt": {"type": "string", "description": "what the image shows, or the change to make"},
            "prompts": {"type": "array", "items": {"type": "string"}, "maxItems": MAX_BATCH,
                        "description": "several prompts, one image each (instead of prompt)"},
            "continue_from": _CONTINUE, "input_images": _PATHS,
            "size": {"type": "string", "description": "WIDTHxHEIGHT, e.g. 1024x1024"},
            "aspect_ratio": {"type": "string", "description": "e.g. 16:9"},
            "quality": _STRING,
        }
        text = f"Generate images{made_by}. Give prompt for one image or prompts for several."
    elif media_type == MediaType.VIDEO:
        props = {
            "prompt": {"type": "string", "description": "what happens in the video, or the change to make"},
            "continue_from": _CONTINUE,
            "input_images": {**_PATHS, "description": "an image to start the video from"},
            "duration": {"type": "number", "description": "seconds"},
            "aspect_ratio": {"type": "string", "description": "16:9 or 9:16"},
            "size": _STRING,
        }
        text = f"Generate a short video{made_by}. It takes a while; progress is shown."
    else:
        props = {
            "prompt": {"type": "string", "description": "the text to speak, or the sound to make"},
            "audio_type": {"type": "string", "enum": ["speech", "sound_effect"]},
            "voice": _STRING,
            "audio_format": {"type": "string", "enum": list(AUDIO_FORMATS)},
            "duration": {"type": "number", "description": "seconds (sound effects)"},
        }
        text = f"Generate speech or a sound effect{made_by}."
    text += " The result names each file and its continuation_id; pass that as continue_from to refine it."
    description = str(config.get("description") or text)
    return {"name": name, "description": description,
            "parameters": {"type": "object", "properties": props, "additionalProperties": False}}


def text_definition(name: str, config: Mapping[str, Any]) -> dict[str, Any]:
    description = str(config.get("description") or (
        "Extract the text (and tables) of a PDF, or the text in an image by OCR. Give the file's path."))
    return {"name": name, "description": description, "parameters": {
        "type": "object",
        "properties": {
            "path": {"type": "string", "description": "the PDF or image file"},
            "pages": {"type": "string", "description": "PDF pages such as '1-3,5' (all when left out)"},
            "languages": {"type": "array", "items": {"type": "string"}, "description": "ISO codes such as en, es, zh"},
        },
        "required": ["path"],
        "additionalProperties": False,
    }}


_TYPES: dict[str, type | tuple[type, ...]] = {"string": str, "number": (int, float), "array": list, "integer": int,
                                              "boolean": bool}


def parse_arguments(arguments: Mapping[str, Any] | str, definition: Mapping[str, Any]) -> dict[str, Any]:
    """The model's arguments checked against the tool's schema; errors say which argument and why."""
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments or "{}")
        except ValueError:
            raise GenerationInputError("the arguments are not valid JSON; send an object such as {\"prompt\": \"...\"}") from None
    if not isinstance(arguments, Mapping):
        raise GenerationInputError("the arguments must be a JSON object")
    schema = definition["parameters"]
    props: Mapping[str, Any] = schema["properties"]
    out: dict[str, Any] = {}
    for key, value in arguments.items():
        if key not in props:
            raise GenerationInputError(f"unknown argument {key!r}; use: {', '.join(props)}")
        if value is None:
            continue
        _check(key, value, props[key])
        out[key] = value
    for key in schema.get("required", ()):
        if key not in out:
            raise GenerationInputError(f"missing argument {key!r}")
    return out


def _check(key: str, value: Any, spec: Mapping[str, Any]) -> None:
    expected = _TYPES[spec["type"]]
    if isinstance(value, bool) and spec["type"] != "boolean" or not isinstance(value, expected):
        raise GenerationInputError(f"argument {key!r} must be a {spec['type']}")
    if isinstance(value, list) and not all(isinstance(v, str) for v in value):
        raise GenerationInputError(f"argument {key!r} must be a list of strings")
    if "enum" in spec and value not in spec["enum"]:
        raise GenerationInputError(f"argument {key!r} must be one of: {', '.join(spec['enum'])}")
    if "maxItems" in spec and isinstance(value, list) and len(value) > spec["maxItems"]:
        raise GenerationInputError(f"argument {key!r} has more than {spec['maxItems']} entries")

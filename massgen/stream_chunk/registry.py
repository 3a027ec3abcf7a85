"""Rebuilds chunks from dicts: the `kind` key names the class, so transcripts replay exactly."""

from __future__ import annotations

from typing import Any

from .base import BaseStreamChunk
from .multimodal import MultimodalStreamChunk
from .text import TextStreamChunk

_KINDS: dict[str, type[TextStreamChunk] | type[MultimodalStreamChunk]] = {"text": TextStreamChunk, "multimodal": MultimodalStreamChunk}


def chunk_from_dict(data: dict[str, Any]) -> BaseStreamChunk:
    """Build the chunk `data` describes; an unknown kind or field is a ValueError naming it."""
    if not isinstance(data, dict):
        raise ValueError(f"a chunk must be a dict, not {type(data).__name__}")
    payload = dict(data)
    kind = payload.pop("kind", None)
    if kind is None:
        kind = "multimodal" if any(k.startswith("media") or k == "attachments" for k in payload) else "text"
    cls = _KINDS.get(kind)
    if cls is None:
        raise ValueError(f"kind: {kind!r} is not one of: {', '.join(_KINDS)}")
    allowed = set(cls.__dataclass_fields__)
    unknown = sorted(set(payload) - allowed)
    if unknown:
        raise ValueError(f"{cls.__name__} has no field(s) {', '.join(unknown)}")
    return cls.from_fields(payload)

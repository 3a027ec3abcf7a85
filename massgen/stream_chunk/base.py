"""The chunk vocabulary every stream in massgen speaks: one enum of types, one base class."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any, ClassVar

from massgen.enums import coerce_enum

from .words import ErrorCode


class ChunkType(Enum):
    """Every kind of event a backend, tool or the orchestrator can emit."""

    # text
    CONTENT = "content"
    TOOL_CALLS = "tool_calls"
    COMPLETE_MESSAGE = "complete_message"
    COMPLETE_RESPONSE = "complete_response"
    DONE = "done"
    ERROR = "error"
    AGENT_STATUS = "agent_status"
    BACKEND_STATUS = "backend_status"
    # reasoning
    REASONING = "reasoning"
    REASONING_DONE = "reasoning_done"
    REASONING_SUMMARY = "reasoning_summary"
    REASONING_SUMMARY_DONE = "reasoning_summary_done"
    # tools
    TOOL_STATUS = "tool_status"
    # multimodal
    MEDIA = "media"
    MEDIA_PROGRESS = "media_progress"
    ATTACHMENT = "attachment"
    ATTACHMENT_COMPLETE = "attachment_complete"


@dataclass
class BaseStreamChunk(ABC):
    """One event of a stream; `source` is the agent (or tool) that produced it; an ERROR may say why in `error_code`."""

    type: ChunkType
    source: str | None = None
    timestamp: float | None = field(default=None)
    sequence_number: int | None = None
    error_code: ErrorCode | None = None

    kind: ClassVar[str] = "base"

    def __post_init__(self) -> None:
        kind = coerce_enum(ChunkType, self.type, "type")
        if kind is None:
            raise ValueError("type: a chunk needs a type")
        self.type = kind
        self.error_code = coerce_enum(ErrorCode, self.error_code, "error_code")
        if self.timestamp is None:
            self.timestamp = time.time()

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict that `from_dict` turns back into an equal chunk."""

    @abstractmethod
    def validate(self) -> bool:
        """Whether the fields this chunk's type needs are present and consistent."""

    def _base_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            out[f.name] = value.value if isinstance(value, Enum) else value
        return out

    @staticmethod
    def from_dict(data: dict[str, Any]) -> "BaseStreamChunk":
        """Rebuild a chunk of the right class from `to_dict()` output (the `kind` key picks it)."""
        from .registry import chunk_from_dict

        return chunk_from_dict(data)

"""Streamed tool-call deltas -> canonical tool calls {"id", "name", "arguments": dict} (docs/CONTRACTS.md)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Hashable

log = logging.getLogger("massgen.backend")


@dataclass
class _Pending:
    id: str | None = None
    name: str = ""
    arguments: list[str] = field(default_factory=list)
    parsed: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class ToolCallAccumulator:
    """Collects calls keyed by the provider's index or item id, in first-seen order."""

    def __init__(self) -> None:
        self._calls: dict[Hashable, _Pending] = {}

    def __len__(self) -> int:
        return len(self._calls)

    def add(self, key: Hashable, *, id: str | None = None, name: str | None = None,
            arguments: str | None = None, extra: dict[str, Any] | None = None) -> None:
        """Merge one delta: an id or name sets it, argument text is appended, `extra` keys are kept."""
        call = self._calls.setdefault(key, _Pending())
        call.extra.update(extra or {})
        if id:
            call.id = id
        if name:
            call.name = name
        if arguments:
            call.arguments.append(arguments)

    def set_arguments(self, key: Hashable, arguments: str | dict[str, Any]) -> None:
        """The provider's final arguments replace the streamed pieces (text or an already-parsed dict)."""
        call = self._calls.setdefault(key, _Pending())
        if isinstance(arguments, dict):
            call.parsed, call.arguments = dict(arguments), []
        else:
            call.parsed, call.arguments = None, [arguments]

    def calls(self) -> list[dict[str, Any]]:
        """Canonical calls (plus provider extras such as Gemini's thought_signature); a missing id is
        made up from the position, as the next turn needs one."""
        out = []
        for position, call in enumerate(self._calls.values()):
            if not call.name:
                log.warning("a streamed tool call had no name; it was left out")
                continue
            arguments = call.parsed if call.parsed is not None else parse_arguments("".join(call.arguments), call.name)
            out.append({"id": call.id or f"call_{position + 1}", "name": call.name, "arguments": arguments,
                        **call.extra})
        return out


def parse_arguments(text: str, name: str) -> dict[str, Any]:
    """JSON object text -> dict; text that is not a JSON object is kept under "_raw" (and logged)."""
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = None
    if isinstance(value, dict):
        return value
    log.warning("tool call %s: arguments are not a JSON object; kept as _raw", name)
    return {"_raw": text}

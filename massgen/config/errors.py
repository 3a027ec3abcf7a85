"""The one shape of a config problem's line: `file:line: path: what is wrong; what to do`.

Problems are raised together as one `massgen.errors.ConfigError`.
"""

from __future__ import annotations

import re
from typing import Iterable

Loc = tuple[str | int, ...]
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")


def format_loc(loc: Iterable[str | int]) -> str:
    """`('agents', 1, 'backend', 'model')` -> `agents[1].backend.model`; odd keys as `['my key']`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not _PLAIN_KEY.match(str(part)):
            out += f"[{str(part)!r}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def problem(where: str, loc: Loc, what: str, fix: str = "") -> str:
    """One line: `where: path: what; fix` (path and fix left out when empty)."""
    path = format_loc(loc)
    text = f"{where}: {path}: {what}" if path else f"{where}: {what}"
    return f"{text}; {fix}" if fix else text


def shown(value: object, limit: int = 40) -> str:
    """A short, one-line rendering of a user's value for an error message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if value is None:
        return "nothing (null)"
    text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def scrub(lines: Iterable[str], secrets: Iterable[str]) -> list[str]:
    """Lines with every secret value replaced by `***`, as a last guard against echoing keys."""
    keys = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)
    out = []
    for line in lines:
        for key in keys:
            line = line.replace(key, "***")
        out.append(line)
    return out

"""The one error type of massgen.media: a ValueError whose message is one line a user can act on."""

from __future__ import annotations

import os
import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def display_name(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """A printable one-line form of a path, even for names that are not valid UTF-8."""
    text = os.fsdecode(path)
    # Undecodable bytes arrive as lone surrogates; show them as \xNN instead of crashing print().
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def one_line(text: object, limit: int = 160) -> str:
    """An exception's detail squeezed onto one short line."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class MediaError(ValueError):
    """Bad media input: `name` is the file (or field), `problem` what is wrong, `fix` what to do."""

    def __init__(self, name: str | bytes | os.PathLike, problem: str, fix: str) -> None:
        self.name = display_name(name)
        self.problem = one_line(problem, 300)
        self.fix = one_line(fix, 300)
        super().__init__(f"{self.name}: {self.problem}; {self.fix}")

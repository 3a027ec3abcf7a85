"""FencedBlocks: finds ```tool_call fenced blocks in streamed text and lets the rest through.

Text arrives in deltas; what is surely outside a block is released at once, a possible fence opening
at the end is held back, and a block's body is kept aside. A block ends at the ``` after its complete
JSON object (so backticks inside JSON strings do not end it), or at a line starting with ```; at the
end of the text an unclosed block ends at its last ```.
"""

from __future__ import annotations

import json
import re

TAG = "tool_call"
_OPEN = re.compile(r"```[ \t]*" + TAG + r"\b")
_LINE_CLOSE = re.compile(r"\n[ \t]*```")
_FENCE = "```"
_DECODER = json.JSONDecoder()
_WINDOW = 64  # a closing line is looked for only in new text and this much before it


class FencedBlocks:
    """Feed text deltas, get back the text to show; `blocks` holds every block body seen."""

    def __init__(self) -> None:
        self.raw = ""
        self.blocks: list[str] = []
        self.unterminated = False
        self._shown: list[str] = []
        self._pos = 0  # raw text before this is decided (shown or inside a block)
        self._body: int | None = None  # start of the open block's body
        self._tried = 0  # raw length at the last attempt to close the open block

    @property
    def visible(self) -> str:
        """All text released so far."""
        return "".join(self._shown)

    def feed(self, delta: str) -> str:
        """Add a delta; the text now known to be outside any block."""
        self.raw += delta
        return self._advance(final=False)

    def finish(self) -> str:
        """The text still held back, at the end of the stream (an open block is closed as well as it can be)."""
        return self._advance(final=True)

    def _advance(self, final: bool) -> str:
        out: list[str] = []
        while True:
            if self._body is None:
                match = _OPEN.search(self.raw, self._pos)
                if match is None:
                    end = len(self.raw) if final else _hold_back(self.raw, self._pos)
                    out.append(self.raw[self._pos:end])
                    self._pos = end
                    break
                out.append(self.raw[self._pos:match.start()])
                self._body = self._pos = match.end()
                self._tried = self._body
                continue
            close = self._close(final)
            if close is None:
                break
            body_end, after = close
            self.blocks.append(self.raw[self._body:body_end])
            self._body, self._pos = None, after
        shown = "".join(out)
        if shown:
            self._shown.append(shown)
        return shown

    def _close(self, final: bool) -> tuple[int, int] | None:
        """(end of body, end of closing fence) of the open block, or None while it may still grow."""
        assert self._body is not None
        start, tried = self._body, self._tried
        self._tried = len(self.raw)
        fresh = "`" in self.raw[tried:] or final
        found = [c for c in (_after_json(self.raw, start) if fresh else None,
                             _line_close(self.raw, max(start, tried - _WINDOW))) if c is not None]
        if found:
            return min(found)
        if not final:
            return None
        last = self.raw.rfind(_FENCE, start)
        if last >= 0:
            return last, last + len(_FENCE)
        self.unterminated = True
        return len(self.raw), len(self.raw)


def _after_json(raw: str, start: int) -> tuple[int, int] | None:
    """The block closes right after its JSON object when ``` follows it (whitespace allowed)."""
    begin = _skip_space(raw, start)
    if not raw.startswith("{", begin):
        return None
    try:
        _, end = _DECODER.raw_decode(raw, begin)
    except json.JSONDecodeError:
        return None
    fence = _skip_space(raw, end)
    return (end, fence + len(_FENCE)) if raw.startswith(_FENCE, fence) else None


def _line_close(raw: str, start: int) -> tuple[int, int] | None:
    match = _LINE_CLOSE.search(raw, start)
    return (match.start(), match.end()) if match else None


def _skip_space(raw: str, index: int) -> int:
    while index < len(raw) and raw[index] in " \t\r\n":
        index += 1
    return index


def _hold_back(raw: str, pos: int) -> int:
    """Where to stop releasing text: before a trailing piece that may grow into a fence opening."""
    tail_start = max(pos, len(raw) - len("```  " + TAG))
    for index in range(tail_start, len(raw)):
        if raw[index] == "`" and _may_open(raw[index:]):
            return index
    return len(raw)


def _may_open(tail: str) -> bool:
    """Whether `tail` is the start of "```tool_call" (spaces or tabs allowed after the backticks)."""
    ticks = len(tail) - len(tail.lstrip("`"))
    if ticks < 3:
        return ticks == len(tail)
    word = tail[ticks:].lstrip(" \t")
    return len(word) < len(TAG) and TAG.startswith(word)

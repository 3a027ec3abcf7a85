"""How the offline demo reads its messages: the task, the anonymised answers, its own label, the images
it was given (and under which answer), tool results, and whether it is presenting."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_ORIGINAL = re.compile(r"<ORIGINAL MESSAGE>\s*(.*?)\s*<END OF ORIGINAL MESSAGE>", re.DOTALL)
_ANSWER = re.compile(r"<(agent\d+\.\d+)>\n(.*?)\n<end of \1>", re.DOTALL)
_OPEN = re.compile(r"<(agent\d+\.\d+)>")
_ME = re.compile(r"You are (agent\d+)\.")
_MINE = re.compile(r"Your latest answer is (agent\d+\.\d+)\.|The team chose (agent\d+\.\d+) \(your answer\)")
_NOTE = re.compile(r"\[(agent\d+\.\d+|the user) attached (image|audio|video|document|file) (.*?), saved at")
MEDIA_TYPES = ("image", "audio", "video", "document")
PRESENT_CUE = "Present the final answer"


@dataclass
class Reading:
    """What the demo understood from one request."""

    task: str = ""
    answers: list[tuple[str, str]] = field(default_factory=list)
    me: str | None = None
    own_label: str | None = None
    images: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    other_media: list[tuple[str, str]] = field(default_factory=list)
    noted: list[tuple[str, str, str]] = field(default_factory=list)
    tool_results: list[str] = field(default_factory=list)
    presenting: bool = False
    earlier_answer: str | None = None

    def labels_with_images(self) -> set[str]:
        """Answers that carry an image, seen or only noted."""
        seen = {label for label, _ in self.images}
        return seen | {label for label, kind, _ in self.noted if kind == "image"}


def read_messages(messages: list[dict[str, Any]]) -> Reading:
    """Read the last user message (task, answers, media) and what followed it (tool results)."""
    reading = Reading()
    last_user = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=None)
    if last_user is None:
        return reading
    text = _walk(messages[last_user].get("content"), reading)
    task = _ORIGINAL.search(text)
    reading.task = (task.group(1) if task else text).strip()
    reading.answers = [(label, body.strip()) for label, body in _ANSWER.findall(text)]
    reading.me = _first(_ME, text)
    reading.own_label = _first(_MINE, text)
    reading.presenting = PRESENT_CUE in text
    reading.noted = _NOTE.findall(text)
    reading.tool_results = [_text_of(m.get("content")) for m in messages[last_user + 1:] if m.get("role") == "tool"]
    earlier = [m for m in messages[:last_user] if m.get("role") == "assistant" and _text_of(m.get("content"))]
    reading.earlier_answer = _text_of(earlier[-1]["content"]) if earlier else None
    return reading


def _walk(content: Any, reading: Reading) -> str:
    """All text of a message, noting each media item under the answer (or the user) it belongs to."""
    if isinstance(content, str):
        return content
    text = ""
    for item in content or []:
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "text":
            text += item.get("text", "") + "\n"
        elif kind in MEDIA_TYPES:
            owner = _owner(text)
            if kind == "image":
                reading.images.append((owner, item))
            else:
                reading.other_media.append((owner, _item_name(item)))
    return text


def _owner(text_so_far: str) -> str:
    """The answer whose block is open at this point of the message, else the user."""
    opened = _OPEN.findall(text_so_far)
    if opened and f"<end of {opened[-1]}>" not in text_so_far:
        return opened[-1]
    return "the user"


def _item_name(item: dict[str, Any]) -> str:
    ref = item.get("ref")
    return item.get("filename") or getattr(ref, "filename", None) or item.get("path") or "an unnamed file"


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(i.get("text", "") for i in content if isinstance(i, dict) and i.get("type") == "text")
    return ""


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return next((g for g in match.groups() if g), None) if match else None

"""DemoBackend (`backend.type: demo`): an offline, deterministic stand-in for a model.

It streams Markdown at a model-like pace, ends coordination turns with real `new_answer`/`vote`
tool calls, calls an image tool when its agent has one, and reads the images it is given with
Pillow. Its role (planner, artist, critic) comes from the agent id or system message. It never
pretends to be a model: every text says it is the offline demo.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
from dataclasses import dataclass, field
from typing import Any, AsyncIterator

from massgen.errors import ConfigError
from massgen.stream_chunk import BaseStreamChunk, ChunkType, TextStreamChunk

from . import text as say
from massgen.backend.base import LLMBackend
from .words import digest
from .read import Reading, read_messages
from .vision import ImageFacts, look_at

DEFAULT_STREAM_RATE = 60.0  # words (about tokens) a second, close to a hosted model
TICK = 0.05
ROLE_WORDS = (
    ("critic", ("critic", "review", "judge", "director", "evaluat", "editor")),
    ("artist", ("artist", "draw", "paint", "illustrat", "image", "designer", "visual")),
    ("planner", ("plan", "strateg", "architect", "prompt", "organis", "organiz")),
)


@dataclass
class Decision:
    """What the demo says and which tools it calls in one response."""

    text: str
    calls: list[dict[str, Any]] = field(default_factory=list)


class DemoBackend(LLMBackend):
    """The offline demo model; `stream_rate` in words a second (0: as fast as possible), `seed` varies wording."""

    backend_type = "demo"

    def __init__(self, model: str | None = None, api_key: str | None = None, base_url: str | None = None, *,
                 stream_rate: float | None = None, seed: int | None = None, system_message: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(model, api_key, base_url, **kwargs)
        rate = DEFAULT_STREAM_RATE if stream_rate is None else stream_rate
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate < 0:
            raise ConfigError(f"demo backend: stream_rate {stream_rate!r} must be a number >= 0 (0 = no delay)")
        self.stream_rate = float(rate)
        self.seed = int(seed or 0)
        self.system_message = system_message

    def requires_key(self) -> bool:
        return False

    async def _stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> AsyncIterator[BaseStreamChunk]:
        decision = await asyncio.to_thread(self.decide, messages, tools)
        async for piece in self._pace(decision.text):
            yield TextStreamChunk(type=ChunkType.CONTENT, source=self.agent_id, content=piece)
        if decision.calls:
            yield TextStreamChunk(type=ChunkType.TOOL_CALLS, source=self.agent_id, tool_calls=decision.calls)
        message: dict[str, Any] = {"role": "assistant", "content": decision.text}
        if decision.calls:
            message["tool_calls"] = decision.calls
        yield TextStreamChunk(type=ChunkType.COMPLETE_MESSAGE, source=self.agent_id, complete_message=message)
        yield TextStreamChunk(type=ChunkType.DONE, source=self.agent_id)

    async def _pace(self, text: str) -> AsyncIterator[str]:
        """Word-sized pieces at `stream_rate` words a second; all at once (in blocks) when it is 0."""
        pieces = re.findall(r"\S+\s*|\s+", text)
        per_tick = 16 if self.stream_rate <= 0 else max(1, round(self.stream_rate * TICK))
        for start in range(0, len(pieces), per_tick):
            yield "".join(pieces[start:start + per_tick])
            await asyncio.sleep(0 if self.stream_rate <= 0 else per_tick / self.stream_rate)

    # deciding (pure: the same messages and tools give the same response) ------------------
    def role(self, messages: list[dict[str, Any]]) -> str:
        system = next((str(m.get("content") or "") for m in messages if m.get("role") == "system"), "")
        for text in (self.agent_id or "", (self.system_message or "") + " " + system.split("\n\n", 1)[0]):
            low = text.lower()
            for role, words in ROLE_WORDS:
                if any(w in low for w in words):
                    return role
        return "generalist"

    def decide(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Decision:
        reading = read_messages(messages)
        role = self.role(messages)
        names = {_tool_name(t) for t in tools}
        rng = random.Random(digest(f"{self.seed}|{self.agent_id}|{role}|{reading.task}|{len(reading.answers)}"))
        if reading.presenting:
            return self._present(reading, role)
        if "new_answer" not in names and "vote" not in names:
            return Decision(say.banner(role) + self._answer_text(reading, role, rng, None))
        vote_labels = _vote_labels(tools)
        if ("new_answer" in names and reading.own_label is None) or not vote_labels:
            return self._answer(reading, role, rng, tools)
        return self._vote(reading, role, vote_labels)

    def _answer(self, reading: Reading, role: str, rng: random.Random, tools: list[dict[str, Any]]) -> Decision:
        image_tool = _image_tool(tools)
        if role == "artist" and image_tool and not reading.tool_results:
            prompt = image_prompt(reading.task)
            call = {"id": _call_id("image", prompt), "name": image_tool, "arguments": {"prompt": prompt}}
            return Decision(say.banner(role) + say.artist_intro(prompt), [call])
        body = self._answer_text(reading, role, rng, image_tool)
        text = say.banner(role) + body
        return Decision(text, [{"id": _call_id("answer", body), "name": "new_answer", "arguments": {"content": text}}])

    def _answer_text(self, reading: Reading, role: str, rng: random.Random, image_tool: str | None) -> str:
        if role == "planner":
            return say.plan(reading.task, rng, reading.earlier_answer is not None)
        if role == "critic":
            return say.criteria(reading.task)
        if role == "artist":
            made, summary = tool_summary(reading.tool_results[-1]) if reading.tool_results else (False, "")
            if made:
                seen = [look_at({"type": "image", "path": path}) for path in made_files(reading.tool_results[-1])]
                looks = [fact.summary() for fact in seen if isinstance(fact, ImageFacts)]
                return say.artist_answer(reading.task, image_prompt(reading.task), summary, rng, looks)
            text = say.artist_without_tool(reading.task)
            return text + (f"\n(The image tool failed: {summary})\n" if reading.tool_results else "")
        return say.generalist(reading.task, rng)

    def _vote(self, reading: Reading, role: str, labels: list[str]) -> Decision:
        facts = [(label, look_at(item)) for label, item in reading.images]
        notes = [f"{label}: {kind} {what} (described to me, not shown)" for label, kind, what in reading.noted]
        choice, reason = choose(reading, facts, labels)
        text = say.banner(role) + say.review(facts, notes) + say.vote_text(choice, reason)
        call = {"id": _call_id("vote", text), "name": "vote", "arguments": {"agent_id": choice, "reason": reason}}
        return Decision(text, [call])

    def _present(self, reading: Reading, role: str) -> Decision:
        own = dict(reading.answers).get(reading.own_label or "", "")
        others = [(label, text) for label, text in reading.answers if label != reading.own_label]
        facts = [(label, look_at(item)) for label, item in reading.images if label == reading.own_label]
        return Decision(say.presentation(own or say.generalist(reading.task, random.Random(0)), others, facts))


def choose(reading: Reading, facts: list[tuple[str, ImageFacts | str]], labels: list[str]) -> tuple[str, str]:
    """The demo's vote: answers with an image first, then plans, then the longest; ties to the earliest."""
    with_images = {label.split(".")[0] for label in reading.labels_with_images()}
    seen = {label.split(".")[0]: fact for label, fact in facts if isinstance(fact, ImageFacts)}
    texts = {label.split(".")[0]: text for label, text in reading.answers}

    def score(label: str) -> tuple[float, int]:
        text = texts.get(label, "")
        value = 10.0 * (label in with_images) + 2.0 * ("## Plan" in text) - 5.0 * ("Review checklist" in text)
        return value + min(len(text), 3000) / 1000, -labels.index(label)

    best = max(labels, key=score)
    words = ", ".join(say.keywords(reading.task, 3))
    if best in seen:
        return best, f"its image ({seen[best].summary()}) shows the task at a glance, and its text covers {words}."
    if best in with_images:
        return best, f"it carries an image for the task, and its text covers {words}."
    return best, f"it is the most complete answer on {words}."


def tool_summary(result: str) -> tuple[bool, str]:
    """(made a file?, a readable line) from a generation tool's result (JSON from massgen.generation, or text)."""
    try:
        data = json.loads(result)
    except json.JSONDecodeError:
        return not result.lower().startswith("error"), result.strip()
    if not isinstance(data, dict):
        return False, result.strip()
    files = [f for f in data.get("files") or [] if isinstance(f, dict)]
    if not files:
        return False, "; ".join(map(str, data.get("errors") or [])) or str(data.get("error") or "no file was made")
    described = [f"`{os.path.basename(str(f.get('path')))}` (continuation id `{f.get('continuation_id')}`)"
                 for f in files]
    return True, "saved as " + ", ".join(described)


def made_files(result: str) -> list[str]:
    """Paths of the files a generation tool result names (none for plain text)."""
    try:
        data = json.loads(result)
    except json.JSONDecodeError:
        return []
    files = data.get("files") if isinstance(data, dict) else None
    return [str(f["path"]) for f in files or [] if isinstance(f, dict) and f.get("path")]


def image_prompt(task: str) -> str:
    """A drawing prompt from the task (the demo image backend reads scene words from it)."""
    flat = " ".join(task.split())
    return f"An illustration of: {flat[:200]}"



def _tool_name(tool: dict[str, Any]) -> str:
    return str(tool.get("name") or (tool.get("function") or {}).get("name") or "")


def _params(tool: dict[str, Any]) -> dict[str, Any]:
    return tool.get("parameters") or (tool.get("function") or {}).get("parameters") or {}


def _vote_labels(tools: list[dict[str, Any]]) -> list[str]:
    for tool in tools:
        if _tool_name(tool) == "vote":
            return list(_params(tool).get("properties", {}).get("agent_id", {}).get("enum", []))
    return []


def _image_tool(tools: list[dict[str, Any]]) -> str | None:
    """The first non-coordination tool that takes a prompt and whose name or description speaks of images."""
    for tool in tools:
        name = _tool_name(tool)
        about = (name + " " + str(tool.get("description") or (tool.get("function") or {}).get("description"))).lower()
        if name not in ("new_answer", "vote") and "prompt" in _params(tool).get("properties", {}) and \
                any(w in about for w in ("image", "draw", "picture", "illustrat")):
            return name
    return None


def _call_id(kind: str, text: str) -> str:
    return f"demo_{kind}_{digest(text) % 10**10:010d}"

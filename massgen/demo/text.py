"""The offline demo's Markdown: canned shapes filled from the task, so each role reads differently
and every text says plainly that no model wrote it."""

from __future__ import annotations

import random
import re
from typing import Sequence

from .vision import ImageFacts

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
_STOP = set("""the and for with that this from into your you are was were will would should could about
their there them then than what when where which while who whom why how make made create draw write give
please some any all can our out its it's a an of to in on is be as at by or we i me my us let help need want
like just also more most very much many few into onto over under""".split())

DISCLAIMER = "Offline demo: canned text shaped by your task. No language model is running."


def keywords(task: str, limit: int = 4) -> list[str]:
    """The task's content words, in order, without repeats."""
    seen: list[str] = []
    for word in _WORD.findall(task):
        low = word.lower()
        if low not in _STOP and low not in seen:
            seen.append(low)
    return seen[:limit] or ["the task"]


def title(task: str, limit: int = 60) -> str:
    first = re.split(r"(?<=[.!?])\s", " ".join(task.split()), maxsplit=1)[0].rstrip(".!?")
    short = first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"
    return short[:1].upper() + short[1:] if short else "The task"


def banner(role: str) -> str:
    return f"*{DISCLAIMER} ({role})*\n\n"


def plan(task: str, rng: random.Random, follow_up: bool) -> str:
    words = keywords(task)
    focus = ", ".join(f"*{w}*" for w in words)
    verbs = rng.sample(["Sketch", "Outline", "Draft", "Shape", "Frame"], 2)
    steps = [
        f"**Pin down the goal.** What should *{title(task, 40).lower()}* achieve, and for whom?",
        f"**Collect the essentials.** Gather what matters about {focus}.",
        f"**{verbs[0]} a first version.** Put the pieces in order; keep the strongest idea up front.",
        "**Make it visible.** An image or diagram says at a glance what a paragraph needs many words for.",
        f"**{verbs[1]} and review.** Check it against the goal; cut what does not serve it.",
    ]
    lead = "Building on the earlier answer, here" if follow_up else "Here"
    rows = "\n".join(f"| {i} | {s.split('**')[1].rstrip('.')} | {o} |"
                     for i, (s, o) in enumerate(zip(steps, ["a one-line goal", "notes", "a draft", "an image",
                                                            "the final version"]), 1))
    return (f"## Plan: {title(task)}\n\n{lead} is how the team can tackle it:\n\n"
            + "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))
            + f"\n\n| Step | Focus | Output |\n|---:|---|---|\n{rows}\n")


def artist_intro(prompt: str) -> str:
    return f"I will draw this with the demo image tool, from the prompt:\n\n> {prompt}\n\n"


def artist_answer(task: str, prompt: str, tool_text: str, rng: random.Random, looks: Sequence[str] = ()) -> str:
    mood = rng.choice(["calm", "bold", "playful", "quiet", "bright"])
    seen = "".join(f"- **What it looks like:** {look}\n" for look in looks)
    return (f"## Image: {title(task)}\n\nI drew a {mood} scene for the task with the offline demo image tool "
            f"(Pillow, no model).\n\n- **Prompt:** {prompt}\n- **Result:** {tool_text.strip() or 'see the image'}\n"
            f"{seen}\nThe image is attached to this answer.\n")


def artist_without_tool(task: str) -> str:
    words = keywords(task, 3)
    return (f"## Sketch: {title(task)}\n\nI have no image tool in this team, so here is the composition in words:\n\n"
            f"- **Foreground:** {words[0]}\n- **Middle:** {words[-1]}\n- **Light:** late afternoon, warm\n")


def criteria(task: str) -> str:
    words = keywords(task, 3)
    checks = [f"Does it address *{w}* directly?" for w in words]
    checks += ["Is it complete without needing the other answers?", "If there is an image, does it fit the task?"]
    return f"## Review checklist: {title(task)}\n\nI will judge the answers by:\n\n" + \
        "\n".join(f"- [ ] {c}" for c in checks) + "\n"


def generalist(task: str, rng: random.Random) -> str:
    words = keywords(task)
    opener = rng.choice(["In short", "The core of it", "Put simply"])
    return (f"## {title(task)}\n\n**{opener}:** the task turns on {', '.join(words)}.\n\n"
            + "\n".join(f"- **{w.capitalize()}:** what it means here, and the one thing to get right about it."
                        for w in words) + "\n")


def review(facts: Sequence[tuple[str, ImageFacts | str]], notes: Sequence[str]) -> str:
    """What the demo saw: one line per image it read, and the media it was only told about."""
    if not facts and not notes:
        return ""
    lines = ["### What I see in the images", ""]
    for label, fact in facts:
        lines.append(f"- **{label}:** {fact.summary() if isinstance(fact, ImageFacts) else fact}")
    lines += [f"- **{note}**" for note in notes]
    return "\n".join(lines) + "\n\n"


def vote_text(choice: str, reason: str) -> str:
    return f"### My vote\n\nI vote for **{choice}**: {reason}\n"


def presentation(own: str, others: Sequence[tuple[str, str]], facts: Sequence[tuple[str, ImageFacts | str]]) -> str:
    """The final answer: the winning answer, the best of the others, and what the images show."""
    body = re.sub(r"^\*Offline demo[^\n]*\n+", "", own.strip())
    body = re.sub(r"^## ", "### ", body, flags=re.MULTILINE)
    parts = ["## Final answer", "", body]
    for label, text in others:
        if "- [ ]" in text:
            continue  # a reviewer's checklist is not content
        heading = re.search(r"^## (.+)$", text, re.MULTILINE)
        points = [line for line in text.splitlines() if re.match(r"^\s*(\d+\.|- )", line)][:4]
        if points:
            name = f"{heading.group(1)} ({label})" if heading else label
            parts += ["", f"**From {name}:**", *points]
    seen = [f"- {f.summary()}" for _, f in facts if isinstance(f, ImageFacts)]
    if seen:
        parts += ["", "**The image at a glance:**", *seen]
    parts += ["", f"_{DISCLAIMER}_"]
    return "\n".join(parts) + "\n"

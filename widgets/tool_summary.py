"""Tool calls in words: the canonical call (or a Chat Completions one) summarised in one line (no UI imports)."""

from __future__ import annotations

import json
from typing import Any

from markdown_it import MarkdownIt

_SUMMARY_WIDTH = 60


def call_name_and_args(call: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Name and arguments of a canonical call, or of a Chat Completions `function` call."""
    function = call.get("function") if isinstance(call.get("function"), dict) else {}
    name = str(call.get("name") or function.get("name") or "?")
    args: Any = call.get("arguments", function.get("arguments", {}))
    if isinstance(args, str):
        try:
            args = json.loads(args) if args.strip() else {}
        except json.JSONDecodeError:
            args = {"arguments": args}
    return name, args if isinstance(args, dict) else {"arguments": args}


def _short(value: Any, width: int = _SUMMARY_WIDTH) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def plain_text(markdown: str, head: int = 400) -> str:
    """The words of the start of a Markdown answer, without its markup (a summary line shows no `**`)."""
    tokens = MarkdownIt("commonmark").parse(markdown[:head])
    blocks = ["".join(_words(child) for child in token.children or []) for token in tokens if token.type == "inline"]
    return " ".join(blocks)


def _words(child: Any) -> str:
    if child.type in ("text", "code_inline"):
        return str(child.content)
    return " " if child.type in ("softbreak", "hardbreak") else ""


def summarise_call(call: dict[str, Any]) -> str:
    """One line a reader understands: coordination tools in words, others as name(key=value, ...)."""
    name, args = call_name_and_args(call)
    if name == "new_answer":
        return f"✓ new answer: {_short(plain_text(str(args.get('content', ''))))}"
    if name == "vote":
        reason = args.get("reason")
        tail = f": {_short(reason)}" if reason else ""
        return f"☑ vote for {args.get('agent_id', '?')}{tail}"
    inner = ", ".join(f"{key}={_short(value, 30)}" for key, value in args.items())
    return f"⚙ {name}({_short(inner)})"

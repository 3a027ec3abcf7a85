"""ClaudeCodeBackend [claude_code]: the Claude Code CLI as a subprocess, speaking stream-json both ways.

`claude -p --output-format stream-json --verbose --input-format stream-json`: the turn goes in as one
user message (text, images and PDFs as Anthropic content blocks), and out come system / stream_event /
assistant / user / result lines. Claude Code runs its own tools; they show as TOOL_STATUS chunks. The
team's tools (new_answer, vote ...) cannot be given to it as tools, so they go in the appended system
prompt and come back as a ```tool_call block (see cli_base and text_tool_calls).
"""

from __future__ import annotations

import json
from typing import Any

from massgen.formatter import MessageFormatter
from massgen.stream_chunk import BaseStreamChunk, ChunkType, TextStreamChunk

from .cli_base import CLIBasedBackend
from .fenced_blocks import TAG
from .provider_turn import ProviderTurn


class ClaudeCodeBackend(CLIBasedBackend):
    """Options: cli_path, cwd, env, partial_messages (token streaming, default on), permission_mode,
    allowed_tools, max_turns, resume (continue the CLI's own session across turns, default on)."""

    backend_type = "claude_code"
    cli_name = "claude"
    OPTIONS = CLIBasedBackend.OPTIONS | {"partial_messages", "permission_mode", "allowed_tools", "max_turns",
                                          "resume"}
    UNUSED_OPTIONS = frozenset({"temperature", "top_p", "max_tokens", "max_retries"})
    UNUSED_REASON = "the Claude Code CLI sets these itself"

    def __init__(self, model: str | None = None, api_key: str | None = None, base_url: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(model, api_key, base_url, **kwargs)
        self.session_id: str | None = None
        self._streamed: set[str] = set()

    def requires_key(self) -> bool:
        return False  # the CLI has its own login

    def _resuming(self, messages: list[dict[str, Any]]) -> bool:
        return bool(self.options.get("resume", True) and self.session_id
                    and any(m.get("role") == "assistant" for m in messages))

    def build_command(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> list[str]:
        command = [self.cli_path, "-p", "--output-format", "stream-json", "--verbose",
                   "--input-format", "stream-json"]
        if self.model:
            command += ["--model", str(self.model)]
        if self.options.get("partial_messages", True):
            command.append("--include-partial-messages")
        system = MessageFormatter.to_claude_format(messages, self.limits)[1]
        system = "\n\n".join(part for part in (system, self.tool_instructions(tools)) if part)
        if system:
            command += ["--append-system-prompt", system]
        if self._resuming(messages):
            command += ["--resume", str(self.session_id)]
        if self.options.get("permission_mode"):
            command += ["--permission-mode", str(self.options["permission_mode"])]
        if self.options.get("allowed_tools"):
            command += ["--allowedTools", ",".join(self.options["allowed_tools"])]
        if self.options.get("max_turns"):
            command += ["--max-turns", str(int(self.options["max_turns"]))]
        return command

    def stdin_payload(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> bytes:
        """One stream-json user message: the last user turn, earlier turns folded in as text."""
        follow_on = any(m.get("role") == "assistant" for m in messages)  # a re-ask: the note is news
        if self._resuming(messages):
            last = max(i for i, m in enumerate(messages) if m.get("role") == "assistant")
            messages = [m for m in messages[last + 1:] if m.get("role") != "system"]
        turns, _ = MessageFormatter.to_claude_format(messages, self.limits)
        blocks = _fold(turns)
        if follow_on and self.tool_note:
            blocks.insert(0, {"type": "text", "text": f"Your last {TAG} block was not used: {self.tool_note}."})
        line = {"type": "user", "message": {"role": "user", "content": blocks}}
        return (json.dumps(line) + "\n").encode()

    def handle_line(self, obj: dict[str, Any], turn: ProviderTurn) -> list[BaseStreamChunk]:
        kind = obj.get("type")
        if obj.get("session_id"):
            self.session_id = turn.response_id = obj["session_id"]
        if kind == "stream_event":
            return self._on_stream_event(obj.get("event") or {}, turn)
        if kind == "assistant":
            return self._on_assistant(obj.get("message") or {}, turn)
        if kind == "user":
            return [self._tool_status(turn, "tool_result", _result_text(block))
                    for block in _blocks(obj.get("message")) if block.get("type") == "tool_result"]
        if kind == "result":
            return self._on_result(obj, turn)
        return []

    def _on_stream_event(self, event: dict[str, Any], turn: ProviderTurn) -> list[BaseStreamChunk]:
        if event.get("type") == "message_start":
            self._streamed.add(str((event.get("message") or {}).get("id")))
        delta = event.get("delta") or {}
        if event.get("type") != "content_block_delta":
            return []
        if delta.get("type") == "text_delta" and delta.get("text"):
            return [turn.content(delta["text"])]
        if delta.get("type") == "thinking_delta" and delta.get("thinking"):
            return [turn.reasoning(delta["thinking"])]
        return []

    def _on_assistant(self, message: dict[str, Any], turn: ProviderTurn) -> list[BaseStreamChunk]:
        streamed = str(message.get("id")) in self._streamed
        out: list[BaseStreamChunk] = []
        for block in _blocks(message):
            if block.get("type") == "text" and block.get("text") and not streamed:
                out.append(turn.content(block["text"]))
            elif block.get("type") == "thinking" and block.get("thinking") and not streamed:
                out.append(turn.reasoning(block["thinking"]))
            elif block.get("type") == "tool_use":
                detail = f"{block.get('name')} {json.dumps(block.get('input') or {})[:200]}"
                out.append(self._tool_status(turn, "tool_use", detail))
        return out

    def _on_result(self, obj: dict[str, Any], turn: ProviderTurn) -> list[BaseStreamChunk]:
        if obj.get("usage"):
            turn.usage = obj["usage"]
        if obj.get("is_error") or obj.get("subtype", "success") != "success":
            detail = obj.get("result") or obj.get("subtype") or "no detail"
            turn.fail(f"{self.label}: Claude Code reported an error: {detail}")
            return []
        if not turn.text and obj.get("result"):
            return [turn.content(str(obj["result"]))]
        return []

    def _tool_status(self, turn: ProviderTurn, status: str, detail: str) -> TextStreamChunk:
        return TextStreamChunk(type=ChunkType.TOOL_STATUS, source=turn.source, status=status, content=detail)


def _blocks(message: Any) -> list[dict[str, Any]]:
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return [b for b in content or [] if isinstance(b, dict)]


def _result_text(block: dict[str, Any]) -> str:
    content = block.get("content")
    if isinstance(content, list):
        content = " ".join(str(c.get("text", "")) for c in content if isinstance(c, dict))
    return str(content or "")[:200]


def _fold(turns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The last turn's blocks, preceded by a text transcript of the turns before it."""
    if not turns:
        return [{"type": "text", "text": ""}]
    *earlier, last = turns
    blocks = list(last["content"]) if last["role"] == "user" else [{"type": "text", "text": _transcript([last])}]
    if earlier:
        blocks.insert(0, {"type": "text", "text": "Conversation so far:\n\n" + _transcript(earlier)})
    return blocks


def _transcript(turns: list[dict[str, Any]]) -> str:
    lines = []
    for t in turns:
        words = [b.get("text", "") if b.get("type") == "text" else f"[{b.get('type')}]" for b in t["content"]]
        lines.append(f"{t['role'].capitalize()}: {' '.join(w for w in words if w)}")
    return "\n\n".join(lines)

"""A fake `claude` CLI: reads a stream-json user message on stdin, writes Claude Code's stream-json lines.

Environment: FAKE_CLAUDE_MODE = echo (default) | tools | error | crash | stall | garbage | reply | agent
| sloppy_agent; FAKE_CLAUDE_REPLY = the assistant text in `reply` mode; FAKE_CLAUDE_RECORD = a file to
write {"argv", "stdin"} to (or, ending in .jsonl, to append one such line per run).

`agent` plays a team member from what the backend sent: it answers with a ```tool_call new_answer
block, votes for the first offered answer once the appended system prompt offers `vote`, and presents
when no tools are offered. `sloppy_agent` first writes a broken block and behaves once re-asked (--resume).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from typing import Any

_TOOL_LINE = re.compile(r"^- (\w+):.*\n  arguments \(JSON schema\): (.*)$", re.MULTILINE)


def emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def read_prompt() -> tuple[list[dict[str, Any]], str]:
    """The stdin messages and the echo text for the last one (text plus attachment counts)."""
    messages = [json.loads(line) for line in sys.stdin if line.strip()]
    blocks = messages[-1]["message"]["content"] if messages else []
    text = " ".join(b["text"] for b in blocks if b.get("type") == "text")
    counts = {kind: sum(b.get("type") == kind for b in blocks) for kind in ("image", "document")}
    extra = " ".join(f"{k}s={n}" for k, n in counts.items() if n)
    return messages, f"Echo: {text}" + (f" [{extra}]" if extra else "")


def stream_message(message_id: str, text: str, partial: bool, session: str) -> None:
    if partial:
        emit({"type": "stream_event", "session_id": session,
              "event": {"type": "message_start", "message": {"id": message_id, "role": "assistant", "content": []}}})
        emit({"type": "stream_event", "session_id": session,
              "event": {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}})
        for i in range(0, len(text), 5):
            emit({"type": "stream_event", "session_id": session,
                  "event": {"type": "content_block_delta", "index": 0,
                            "delta": {"type": "text_delta", "text": text[i:i + 5]}}})
        emit({"type": "stream_event", "session_id": session, "event": {"type": "message_stop"}})
    emit({"type": "assistant", "session_id": session,
          "message": {"id": message_id, "type": "message", "role": "assistant", "model": "claude-fake",
                      "content": [{"type": "text", "text": text}], "stop_reason": "end_turn"}})


def offered_tools(argv: list[str]) -> dict[str, dict[str, Any]]:
    """Tool name -> JSON schema, read back from the tool list in --append-system-prompt."""
    system = argv[argv.index("--append-system-prompt") + 1] if "--append-system-prompt" in argv else ""
    return {name: json.loads(schema) for name, schema in _TOOL_LINE.findall(system)}


def block(name: str, arguments: dict[str, Any]) -> str:
    return "```tool_call\n" + json.dumps({"name": name, "arguments": arguments}) + "\n```"


def agent_reply(argv: list[str], text: str, sloppy: bool) -> str:
    """What a cooperative team member says: present, answer, or vote for the first offered answer."""
    tools = offered_tools(argv)
    if not tools:
        return "Final answer from the fake Claude Code: a haiku about rain."
    if sloppy and "--resume" not in argv:
        return 'I will answer now.\n```tool_call\n{"name": "new_answer", "arguments": {"content": oops}}\n```'
    if "vote" in tools:
        label = tools["vote"]["properties"]["agent_id"]["enum"][0]
        return f"I have read the answers.\n\n{block('vote', {'agent_id': label, 'reason': 'fake CLI vote'})}"
    seen = text.removeprefix("Echo: ")[:60]
    return f"Here is my answer.\n\n{block('new_answer', {'content': 'Rain on the roof (fake Claude Code), after: ' + seen})}"


def record_run(argv: list[str], messages: list[dict[str, Any]]) -> None:
    record = os.environ.get("FAKE_CLAUDE_RECORD")
    if not record:
        return
    with open(record, "a" if record.endswith(".jsonl") else "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"argv": argv, "stdin": messages}) + "\n")


def main() -> int:
    argv = sys.argv[1:]
    mode = os.environ.get("FAKE_CLAUDE_MODE", "echo")
    messages, text = read_prompt()
    record_run(argv, messages)
    session = argv[argv.index("--resume") + 1] if "--resume" in argv else "sess-1"
    partial = "--include-partial-messages" in argv
    if mode == "garbage":
        print("warning: this line is not JSON", flush=True)
    emit({"type": "system", "subtype": "init", "session_id": session, "model": "claude-fake", "tools": ["Read"]})
    if mode == "stall":
        time.sleep(30)
    if mode == "crash":
        sys.stderr.write("fatal: the fake CLI broke on purpose\n")
        return 3
    if mode == "tools":
        emit({"type": "assistant", "session_id": session,
              "message": {"id": "msg_0", "role": "assistant",
                          "content": [{"type": "tool_use", "id": "toolu_1", "name": "Read",
                                       "input": {"file_path": "/tmp/notes.txt"}}]}})
        emit({"type": "user", "session_id": session,
              "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1",
                                                       "content": "three lines of notes"}]}})
    if mode == "error":
        emit({"type": "result", "subtype": "error_during_execution", "is_error": True, "session_id": session,
              "result": "API Error: overloaded"})
        return 1
    if mode == "reply":
        text = os.environ.get("FAKE_CLAUDE_REPLY", "")
    elif mode in ("agent", "sloppy_agent"):
        text = agent_reply(argv, text, mode == "sloppy_agent")
    stream_message("msg_1", text, partial, session)
    emit({"type": "result", "subtype": "success", "is_error": False, "duration_ms": 12, "num_turns": 1,
          "result": text, "session_id": session, "total_cost_usd": 0.0,
          "usage": {"input_tokens": 5, "output_tokens": 7}})
    return 0


if __name__ == "__main__":
    sys.exit(main())

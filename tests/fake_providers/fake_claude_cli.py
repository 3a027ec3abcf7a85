"""A fake `claude` CLI: reads a stream-json user message on stdin, writes Claude Code's stream-json lines.

Environment: FAKE_CLAUDE_MODE = echo (default) | tools | error | crash | stall | garbage;
FAKE_CLAUDE_RECORD = a file to write {"argv", "stdin"} to, so tests see what the backend sent.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any


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


def main() -> int:
    argv = sys.argv[1:]
    mode = os.environ.get("FAKE_CLAUDE_MODE", "echo")
    messages, text = read_prompt()
    record = os.environ.get("FAKE_CLAUDE_RECORD")
    if record:
        with open(record, "w", encoding="utf-8") as fh:
            json.dump({"argv": argv, "stdin": messages}, fh)
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
    stream_message("msg_1", text, partial, session)
    emit({"type": "result", "subtype": "success", "is_error": False, "duration_ms": 12, "num_turns": 1,
          "result": text, "session_id": session, "total_cost_usd": 0.0,
          "usage": {"input_tokens": 5, "output_tokens": 7}})
    return 0


if __name__ == "__main__":
    sys.exit(main())

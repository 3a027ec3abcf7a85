"""ClaudeCodeBackend driving a fake `claude` CLI that speaks Claude Code's stream-json lines."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import sys
import time
from pathlib import Path

import pytest

from backend_helpers import collect, kinds, only, text_of, user
from fake_providers import TINY_PDF, b64, tiny_png
from massgen.backend import ClaudeCodeBackend, create_backend
from massgen.errors import ConfigError
from massgen.orchestrator.tools import new_answer_tool, vote_tool
from massgen.stream_chunk import ChunkType

FAKE_CLI = Path(__file__).parent / "fake_providers" / "fake_claude_cli.py"
PNG = tiny_png(5, 5)


@pytest.fixture
def cli(tmp_path) -> str:
    """An executable `claude` that runs the fake CLI with this interpreter."""
    path = tmp_path / "claude"
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE_CLI}" "$@"\n')
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def record(tmp_path) -> Path:
    return tmp_path / "record.json"


def backend(cli: str, record: Path, mode: str = "echo", reply: str = "", **kw) -> ClaudeCodeBackend:
    env = {"FAKE_CLAUDE_MODE": mode, "FAKE_CLAUDE_RECORD": str(record), "FAKE_CLAUDE_REPLY": reply}
    return ClaudeCodeBackend(model="sonnet", cli_path=cli, env=env, **{"timeout": 5, **kw})


async def test_prompt_with_image_and_pdf_goes_in_as_stream_json(cli, record):
    items = [{"type": "image", "base64": b64(PNG), "mime_type": "image/png"},
             {"type": "document", "base64": b64(TINY_PDF), "mime_type": "application/pdf"}]
    messages = [{"role": "system", "content": "You review code."}, *user("look at these", *items)]
    chunks = await collect(backend(cli, record).stream_with_tools(messages))
    assert text_of(chunks) == "Echo: look at these [images=1 documents=1]"
    sent = json.loads(record.read_text())
    argv = sent["argv"]
    assert argv[:7] == ["-p", "--output-format", "stream-json", "--verbose", "--input-format", "stream-json",
                        "--model"]
    assert argv[argv.index("--append-system-prompt") + 1] == "You review code."
    blocks = sent["stdin"][0]["message"]["content"]
    assert sent["stdin"][0]["type"] == "user" and blocks[0] == {"type": "text", "text": "look at these"}
    assert base64.b64decode(blocks[1]["source"]["data"]) == PNG
    assert blocks[2]["type"] == "document" and base64.b64decode(blocks[2]["source"]["data"]) == TINY_PDF


async def test_partial_messages_stream_once_without_duplicating_the_final_text(cli, record):
    chunks = await collect(backend(cli, record).stream_with_tools(user("a fairly long question")))
    contents = only(chunks, ChunkType.CONTENT)
    assert len(contents) > 1 and text_of(chunks) == "Echo: a fairly long question"
    assert kinds(chunks) == ["content", "complete_message", "done"]
    assert only(chunks, ChunkType.COMPLETE_MESSAGE)[0].response["id"] == "sess-1"


async def test_without_partial_messages_the_assistant_line_carries_the_text(cli, record):
    chunks = await collect(backend(cli, record, partial_messages=False).stream_with_tools(user("hi")))
    assert text_of(chunks) == "Echo: hi" and len(only(chunks, ChunkType.CONTENT)) == 1
    assert "--include-partial-messages" not in json.loads(record.read_text())["argv"]


async def test_its_own_tool_use_shows_as_tool_status(cli, record):
    chunks = await collect(backend(cli, record, "tools").stream_with_tools(user("read notes")))
    assert kinds(chunks) == ["tool_status", "tool_status", "content", "complete_message", "done"]
    use, result = only(chunks, ChunkType.TOOL_STATUS)
    assert use.status == "tool_use" and use.content.startswith("Read ") and "notes.txt" in use.content
    assert result.status == "tool_result" and result.content == "three lines of notes"


async def test_second_turn_resumes_the_cli_session_and_sends_only_new_messages(cli, record):
    agent = backend(cli, record)
    first = await collect(agent.stream_with_tools(user("first")))
    history = [*user("first"), only(first, ChunkType.COMPLETE_MESSAGE)[0].complete_message, *user("second")]
    chunks = await collect(agent.stream_with_tools(history))
    sent = json.loads(record.read_text())
    assert sent["argv"][sent["argv"].index("--resume") + 1] == "sess-1"
    assert sent["stdin"][0]["message"]["content"] == [{"type": "text", "text": "second"}]
    assert text_of(chunks) == "Echo: second"


async def test_reported_error_crash_and_garbage_lines(cli, record):
    chunks = await collect(backend(cli, record, "error").stream_with_tools(user("q")))
    assert kinds(chunks) == ["error", "done"] and "API Error: overloaded" in chunks[0].error
    chunks = await collect(backend(cli, record, "crash").stream_with_tools(user("q")))
    assert "exited with status 3" in chunks[-2].error and "broke on purpose" in chunks[-2].error
    chunks = await collect(backend(cli, record, "garbage").stream_with_tools(user("q")))
    assert text_of(chunks) == "Echo: q"


async def test_a_silent_cli_times_out_and_cancelling_kills_it(cli, record):
    started = time.monotonic()
    chunks = await collect(backend(cli, record, "stall", timeout=0.5).stream_with_tools(user("q")))
    assert "timed out" in chunks[-2].error and time.monotonic() - started < 3
    agent = backend(cli, record, "stall")
    task = asyncio.create_task(collect(agent.stream_with_tools(user("q"))))
    await asyncio.sleep(0.5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not _fake_cli_running(record)


def _fake_cli_running(record: Path) -> bool:
    """Whether a process running the fake CLI for this test's record file is alive."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as fh:
                if str(record).encode() in fh.read():
                    return True
        except OSError:
            continue
    return False


def test_missing_cli_is_a_config_error_naming_the_option():
    with pytest.raises(ConfigError, match="cli_path"):
        create_backend({"type": "claude_code", "cli_path": "/nonexistent/claude"}, agent_id="coder")


# -- the team's tools, as ```tool_call blocks ------------------------------------------------------

TOOLS = [new_answer_tool(), vote_tool(["agent1", "agent2"])]
ANSWER = {"content": "Use this:\n```python\nprint('rain')\n```\nDone."}  # backticks inside the JSON


def fenced(name: str, arguments: object) -> str:
    return "```tool_call\n" + json.dumps({"name": name, "arguments": arguments}) + "\n```"


def sent_system(record: Path) -> str:
    argv = json.loads(record.read_text())["argv"]
    return argv[argv.index("--append-system-prompt") + 1]


async def test_the_system_prompt_describes_every_offered_tool_with_its_schema(cli, record):
    messages = [{"role": "system", "content": "You review code."}, *user("q")]
    chat_style = [{"type": "function", "function": TOOLS[1]}]
    await collect(backend(cli, record).stream_with_tools(messages, [TOOLS[0], *chat_style]))
    system = sent_system(record)
    assert system.startswith("You review code.\n\n") and "```tool_call" in system
    for tool in TOOLS:
        line = next(l for l in system.splitlines() if l.startswith(f"- {tool['name']}: "))
        assert line == f"- {tool['name']}: {tool['description']}"
        schema = system.split(line + "\n  arguments (JSON schema): ", 1)[1].splitlines()[0]
        assert json.loads(schema) == tool["parameters"]


async def test_a_reply_ending_with_a_tool_call_block_becomes_one_tool_calls_chunk(cli, record):
    reply = f"Here is my answer.\n\n{fenced('new_answer', ANSWER)}\n"
    chunks = await collect(backend(cli, record, "reply", reply).stream_with_tools(user("q"), TOOLS))
    assert kinds(chunks) == ["content", "tool_calls", "complete_message", "done"]
    assert "tool_call" not in text_of(chunks) and text_of(chunks).strip() == "Here is my answer."
    (call,) = only(chunks, ChunkType.TOOL_CALLS)[0].tool_calls
    assert call["name"] == "new_answer" and call["arguments"] == ANSWER and call["id"].startswith("call_")
    message = only(chunks, ChunkType.COMPLETE_MESSAGE)[0].complete_message
    assert message == {"role": "assistant", "content": "Here is my answer.", "tool_calls": [call]}


async def test_two_blocks_the_last_one_wins_and_neither_is_shown(cli, record):
    reply = f"First {fenced('new_answer', ANSWER)} then, on reflection,\n{fenced('vote', {'agent_id': 'agent2', 'reason': 'clear'})}"
    chunks = await collect(backend(cli, record, "reply", reply).stream_with_tools(user("q"), TOOLS))
    (call,) = only(chunks, ChunkType.TOOL_CALLS)[0].tool_calls
    assert call["name"] == "vote" and call["arguments"] == {"agent_id": "agent2", "reason": "clear"}
    assert text_of(chunks) == "First  then, on reflection,\n"


@pytest.mark.parametrize("block, problem", [
    ('```tool_call\n{"name": "vote", "arguments": {"agent_id": agent1}}\n```', "is not valid JSON"),
    (fenced("web_search", {"query": "rain"}), "names no offered tool ('web_search'); use one of: new_answer, vote"),
    (fenced("vote", ["agent1"]), "\"arguments\" for vote must be a JSON object, not an array"),
    ('```tool_call\n{"name": "vote", "arguments": {', "is not closed"),
])
async def test_a_bad_block_gives_no_tool_call_and_a_one_line_note(cli, record, block, problem):
    chunks = await collect(backend(cli, record, "reply", f"Thinking.\n{block}").stream_with_tools(user("q"), TOOLS))
    assert kinds(chunks) == ["content", "backend_status", "complete_message", "done"]
    note = only(chunks, ChunkType.BACKEND_STATUS)[0]
    assert note.status == "tool_call_error" and problem in note.content and "\n" not in note.content
    assert only(chunks, ChunkType.COMPLETE_MESSAGE)[0].complete_message == {"role": "assistant", "content": "Thinking."}


async def test_the_re_ask_after_a_bad_block_says_what_was_wrong(cli, record):
    agent = backend(cli, record, "reply", fenced("web_search", {}))
    first = await collect(agent.stream_with_tools(user("q"), TOOLS))
    reask = {"role": "user", "content": "Finish your turn with a tool call."}
    await collect(agent.stream_with_tools([*user("q"), only(first, ChunkType.COMPLETE_MESSAGE)[0].complete_message,
                                           reask], TOOLS))
    blocks = json.loads(record.read_text())["stdin"][0]["message"]["content"]
    assert blocks[0]["text"].startswith("Your last tool_call block was not used: the tool_call block names no offered")
    assert blocks[1] == {"type": "text", "text": "Finish your turn with a tool call."}
    await collect(agent.stream_with_tools(user("a new turn"), TOOLS))  # a new turn has no re-ask to explain
    assert json.loads(record.read_text())["stdin"][0]["message"]["content"] == [{"type": "text", "text": "a new turn"}]


@pytest.mark.parametrize("resume", [True, False])
async def test_tool_results_go_back_as_text(cli, record, resume):
    agent = backend(cli, record, "reply", fenced("vote", {"agent_id": "agent9", "reason": "x"}), resume=resume)
    first = await collect(agent.stream_with_tools(user("q"), TOOLS))
    call = only(first, ChunkType.TOOL_CALLS)[0].tool_calls[0]
    result = {"role": "tool", "tool_call_id": call["id"], "name": "vote", "content": "error: agent9 has no answer"}
    history = [*user("q"), only(first, ChunkType.COMPLETE_MESSAGE)[0].complete_message, result]
    await collect(agent.stream_with_tools(history, TOOLS))
    sent = json.loads(record.read_text())
    blocks = sent["stdin"][0]["message"]["content"]
    assert all(b["type"] == "text" for b in blocks)  # no tool_result block: the CLI never saw a tool_use
    text = "\n".join(b["text"] for b in blocks)
    assert f"Result of your tool_call vote (id {call['id']}):\nerror: agent9 has no answer" in text
    assert ("--resume" in sent["argv"]) is resume
    if not resume:  # the transcript carries the call the model made, as the block it wrote
        assert '```tool_call\n{"name": "vote", "arguments": {"agent_id": "agent9", "reason": "x"}}\n```' in text


async def test_without_tools_a_block_is_just_text(cli, record):
    reply = f"Final.\n{fenced('vote', {'agent_id': 'agent1'})}"
    chunks = await collect(backend(cli, record, "reply", reply).stream_with_tools(user("present")))
    assert text_of(chunks) == reply and not only(chunks, ChunkType.TOOL_CALLS)
    assert "--append-system-prompt" not in json.loads(record.read_text())["argv"]

"""CLIBasedBackend: a backend that runs a command-line agent per turn and reads its JSON lines.

The subprocess gets the prompt on stdin and streams one JSON object per stdout line; every read has
the policy's timeout, a non-zero exit becomes an ERROR with the tail of stderr, and a cancelled
turn kills the process. A CLI agent runs only its own tools, so ours (new_answer, vote ...) go to it
as text and come back as a fenced ```tool_call block (massgen.backend.text_tool_calls).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
from contextlib import aclosing
from dataclasses import replace
from typing import Any, AsyncIterator

from massgen.errors import ConfigError
from massgen.stream_chunk import BaseStreamChunk

from .failures import redact
from .streaming import StreamingBackend
from .text_tool_calls import TextToolCalls, TextTools, text_history
from .provider_turn import ProviderTurn

log = logging.getLogger("massgen.backend")
LINE_LIMIT = 64 * 1024 * 1024  # a stream-json line can carry a whole base64 image
STDERR_TAIL = 2000


class CLIBasedBackend(StreamingBackend):
    """Subclasses give `cli_name`, `build_command`, `stdin_payload` and `handle_line`."""

    cli_name = ""
    OPTIONS = frozenset({"cli_path", "cwd", "env"})
    IDLE_TIMEOUT = 600.0  # a CLI agent may run a tool for minutes without printing a line

    def __init__(self, model: str | None = None, api_key: str | None = None, base_url: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(model, api_key, base_url, **kwargs)
        if all(self.options.get(key) is None for key in ("timeout", "timeout_seconds")):
            self.policy = replace(self.policy, timeout=self.IDLE_TIMEOUT)
        self.cli_path = self._find_cli(str(self.options.get("cli_path") or self.cli_name))
        cwd = self.options.get("cwd")
        if cwd is not None and not os.path.isdir(cwd):
            raise ConfigError(f"{self.label}: backend.cwd {cwd!r} is not a directory")
        self.tool_note: str | None = None  # why the last reply's tool_call block was refused, told next turn

    def _find_cli(self, name: str) -> str:
        found = shutil.which(name)
        if found is None:
            raise ConfigError(f"{self.label}: the {name!r} command was not found; install it or set "
                              "backend.cli_path to its full path")
        return found

    def provider_errors(self) -> tuple[type[BaseException], ...]:
        return (*super().provider_errors(), TimeoutError, OSError)

    def build_command(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> list[str]:
        """The argv; its system prompt carries `tool_instructions(tools)`."""
        raise NotImplementedError

    def tool_instructions(self, tools: list[dict[str, Any]]) -> str:
        """How to call `tools` with a ```tool_call block ("" when there are none)."""
        return TextTools.of(tools).instructions() if tools else ""

    def stdin_payload(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> bytes:
        raise NotImplementedError

    def handle_line(self, obj: dict[str, Any], turn: ProviderTurn) -> list[BaseStreamChunk]:
        raise NotImplementedError

    def _env(self) -> dict[str, str]:
        return {**os.environ, **{str(k): str(v) for k, v in (self.options.get("env") or {}).items()}}

    async def _provider_stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
                               turn: ProviderTurn) -> AsyncIterator[BaseStreamChunk]:
        messages = text_history(messages)
        calls = TextToolCalls(TextTools.of(tools), turn) if tools else None
        command = self.build_command(messages, tools)
        payload = self.stdin_payload(messages, tools)
        self.tool_note = None
        proc = await asyncio.create_subprocess_exec(
            *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, cwd=self.options.get("cwd"), env=self._env(), limit=LINE_LIMIT)
        stderr = asyncio.create_task(_tail(proc.stderr))
        try:
            await _feed(proc, payload)
            turn.started = True
            async with aclosing(self._lines(proc)) as lines:
                async for obj in lines:
                    for chunk in self.handle_line(obj, turn):
                        for shown in calls.filter(chunk) if calls else (chunk,):
                            yield shown
                    if turn.error is not None:
                        return
            code = await asyncio.wait_for(proc.wait(), self.policy.timeout)
            if code != 0:
                tail = redact((await stderr).strip()[-STDERR_TAIL:], self._api_key)
                turn.fail(f"{self.label}: {os.path.basename(self.cli_path)} exited with status {code}"
                          + (f": {' '.join(tail.split())}" if tail else ""))
            elif calls is not None:
                for chunk in calls.finish():
                    yield chunk
                self.tool_note = calls.problem
        finally:
            if calls is not None:
                calls.keep_visible_text()
            await _stop(proc)
            stderr.cancel()

    async def _lines(self, proc: asyncio.subprocess.Process) -> AsyncIterator[dict[str, Any]]:
        """Each JSON object line; other lines (a CLI's warnings) are logged and skipped."""
        assert proc.stdout is not None
        while True:
            line = await asyncio.wait_for(proc.stdout.readline(), self.policy.timeout)
            if not line:
                return
            text = line.decode("utf-8", "replace").strip()
            if not text:
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError:
                log.debug("%s: skipped a non-JSON line from the CLI", self.label)
                continue
            if isinstance(obj, dict):
                yield obj


async def _feed(proc: asyncio.subprocess.Process, payload: bytes) -> None:
    """Write the prompt and close stdin (a CLI that exits early just stops reading)."""
    assert proc.stdin is not None
    try:
        proc.stdin.write(payload)
        await proc.stdin.drain()
    except (BrokenPipeError, ConnectionResetError):
        log.debug("the CLI closed its stdin before reading the whole prompt")
    finally:
        proc.stdin.close()


async def _tail(stream: asyncio.StreamReader | None) -> str:
    """The last few KB of a stream, read to its end without holding all of it."""
    if stream is None:
        return ""
    kept = b""
    while chunk := await stream.read(65536):
        kept = (kept + chunk)[-STDERR_TAIL * 2:]
    return kept.decode("utf-8", "replace")


async def _stop(proc: asyncio.subprocess.Process) -> None:
    """Kill the process if it still runs (cancelled or failed turn) and reap it."""
    if proc.returncode is None:
        try:
            proc.kill()
        except ProcessLookupError:
            pass
        await proc.wait()

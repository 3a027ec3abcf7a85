"""One agent's turn: stream its backend, forward every chunk, run its media tools, and end with
new_answer or vote (re-asked a bounded number of times when it ends without one)."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Iterable, Protocol

from massgen.media.item import MediaItem
from massgen.stream_chunk import (AgentStatus, BaseStreamChunk, ChunkType, MultimodalStreamChunk, TextStreamChunk,
                                  text_of)

from . import prompts
from .media_share import saved_media
from .state import TeamState
from .tools import NEW_ANSWER, WORKFLOW_TOOLS, ToolCallError, WorkflowCall, name_of, parse_workflow_call

if TYPE_CHECKING:
    from massgen.backend.base import LLMBackend

Emit = Callable[[BaseStreamChunk], Awaitable[None]]


@dataclass
class ToolRun:
    """What running one media tool gave: the text the agent reads back, and saved media chunks."""

    text: str
    media: list[MultimodalStreamChunk] = field(default_factory=list)


class ToolRunner(Protocol):
    """An agent's own (non-coordination) tools, e.g. image generation; progress chunks go to `emit` live."""

    definitions: list[dict[str, Any]]

    async def run(self, call: dict[str, Any], agent_id: str, emit: Emit) -> ToolRun: ...

    def allow(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        """Let the tools read these files too (the user's attachments), besides the session folder."""


class MediaKeeper(Protocol):
    """Where a turn's media is saved (the run's session)."""

    async def persist_media(self, chunk: MultimodalStreamChunk) -> MultimodalStreamChunk: ...


@dataclass
class Reply:
    """One backend response, gathered while its chunks are forwarded."""

    text: list[str] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    message: dict[str, Any] | None = None
    error: str | None = None
    media: list[MediaItem] = field(default_factory=list)

    def assistant_message(self) -> dict[str, Any]:
        if self.message is not None:
            return self.message
        message: dict[str, Any] = {"role": "assistant", "content": "".join(self.text)}
        if self.calls:
            message["tool_calls"] = self.calls
        return message


class OutcomeKind(Enum):
    """How a turn ended: a new answer, a vote, the winner's presentation text, or a failure."""

    ANSWER = "answer"
    VOTE = "vote"
    TEXT = "text"
    FAILED = "failed"


@dataclass
class Outcome:
    """A finished turn; `content` is the answer, the presentation or (failed) why, in one line."""

    kind: OutcomeKind
    content: str = ""
    target_label: str = ""
    reason: str = ""
    media: list[MediaItem] = field(default_factory=list)


@dataclass
class AgentTurn:
    """Everything one agent needs for one coordination turn (one or more provider turns)."""

    agent_id: str
    backend: "LLMBackend"
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    emit: Emit
    keeper: MediaKeeper
    state: TeamState
    runner: ToolRunner | None = None
    max_reask: int = 2
    max_tool_steps: int = 4


def status(source: str, word: AgentStatus, detail: str = "") -> TextStreamChunk:
    return TextStreamChunk(type=ChunkType.AGENT_STATUS, source=source, status=word, content=detail or None)


async def stream_reply(turn: AgentTurn, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Reply:
    """Stream one backend response, forwarding chunks tagged with the agent id; inline media is saved."""
    reply = Reply()
    streaming = False
    stream = turn.backend.stream_with_tools(messages, tools)
    async with contextlib.aclosing(stream):
        async for chunk in stream:
            chunk.source = turn.agent_id
            kind = chunk.type
            if kind == ChunkType.DONE:
                continue  # the orchestrator's status chunks say when an agent is done
            if kind == ChunkType.CONTENT and isinstance(chunk, TextStreamChunk) and chunk.content:
                reply.text.append(chunk.content)
                if not streaming:
                    streaming = True
                    await turn.emit(status(turn.agent_id, AgentStatus.STREAMING))
            elif kind == ChunkType.TOOL_CALLS and isinstance(chunk, TextStreamChunk):
                reply.calls.extend(chunk.tool_calls or [])
            elif kind == ChunkType.COMPLETE_MESSAGE and isinstance(chunk, TextStreamChunk):
                reply.message = chunk.complete_message
            elif kind == ChunkType.ERROR:
                reply.error = text_of(chunk) or "backend error"
            elif kind == ChunkType.MEDIA and isinstance(chunk, MultimodalStreamChunk):
                chunk = await turn.keeper.persist_media(chunk)
                with contextlib.suppress(ValueError):  # a URL or provider file id is shown, not shared
                    reply.media.append(saved_media(chunk))
            await turn.emit(chunk)
    return reply


async def run_tools(turn: AgentTurn, calls: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[MediaItem]]:
    """Run the agent's own tool calls; tool-result messages and the media they made."""
    results: list[dict[str, Any]] = []
    media: list[MediaItem] = []
    for call in calls:
        name = name_of(call)
        if turn.runner is None or name not in {t["name"] for t in turn.runner.definitions}:
            results.append(tool_result(call, f"error: there is no tool named {name!r}"))
            continue
        await turn.emit(TextStreamChunk(type=ChunkType.TOOL_STATUS, source=turn.agent_id, status="running", content=name))
        ran = await turn.runner.run(call, turn.agent_id, turn.emit)
        for chunk in ran.media:
            chunk.source = turn.agent_id
            saved = await turn.keeper.persist_media(chunk)
            with contextlib.suppress(ValueError):
                media.append(saved_media(saved))
            await turn.emit(saved)
        await turn.emit(TextStreamChunk(type=ChunkType.TOOL_STATUS, source=turn.agent_id, status="done", content=name))
        results.append(tool_result(call, ran.text))
    return results, media


def tool_result(call: dict[str, Any], text: str) -> dict[str, Any]:
    return {"role": "tool", "tool_call_id": str(call.get("id") or ""), "name": name_of(call), "content": text}


def check_workflow(turn: AgentTurn, call: dict[str, Any]) -> WorkflowCall:
    """A usable new_answer/vote for this agent now, or ToolCallError saying what to fix."""
    parsed = parse_workflow_call(call)
    if parsed.name == NEW_ANSWER and not turn.state.can_answer(turn.agent_id):
        limit = turn.state.limits.max_answers_per_agent
        raise ToolCallError(f"you have given the most answers allowed ({limit}); vote for the best answer instead")
    if parsed.name == "vote" and turn.state.agent_for_label(parsed.target) is None:
        labels = ", ".join(a.label.split(".")[0] for a in turn.state.current_answers()) or "none yet"
        raise ToolCallError(f"{parsed.target} has no answer to vote for; choose one of: {labels}")
    return parsed


async def run_turn(turn: AgentTurn) -> Outcome:
    """Loop backend responses until a valid new_answer or vote, a failure, or too many re-asks."""
    messages, tools = list(turn.messages), list(turn.tools)
    media: list[MediaItem] = []
    reasks = steps = 0
    while True:
        reply = await stream_reply(turn, messages, tools)
        media.extend(reply.media)
        if reply.error:
            return Outcome(OutcomeKind.FAILED, content=reply.error)
        own = [c for c in reply.calls if name_of(c) not in WORKFLOW_TOOLS]
        workflow = [c for c in reply.calls if name_of(c) in WORKFLOW_TOOLS]
        results, made = await run_tools(turn, own) if own else ([], [])
        media.extend(made)
        chosen, workflow_results = _first_valid(turn, workflow)
        if chosen is not None:
            kind = OutcomeKind.ANSWER if chosen.name == NEW_ANSWER else OutcomeKind.VOTE
            return Outcome(kind, chosen.content, chosen.target, chosen.reason, media)
        messages += [reply.assistant_message(), *results, *workflow_results]
        steps += bool(own)
        if own and not workflow and steps <= turn.max_tool_steps:
            continue
        reasks += 1
        if reasks > turn.max_reask:
            return Outcome(OutcomeKind.FAILED, content=f"ended {reasks} times without a valid new_answer or vote")
        if not workflow:
            messages.append({"role": "user", "content": prompts.REASK})
        if steps > turn.max_tool_steps:
            tools = [t for t in tools if t.get("name") in WORKFLOW_TOOLS]


def _first_valid(turn: AgentTurn, calls: list[dict[str, Any]]) -> tuple[WorkflowCall | None, list[dict[str, Any]]]:
    """The first usable coordination call, and tool results explaining any that were refused."""
    results: list[dict[str, Any]] = []
    for call in calls:
        try:
            return check_workflow(turn, call), []
        except ToolCallError as exc:
            results.append(tool_result(call, f"error: {exc}"))
    return None, results


async def present(turn: AgentTurn) -> Outcome:
    """The winner's presentation: one response, no tools; its text is the final answer."""
    reply = await stream_reply(turn, turn.messages, [])
    if reply.error:
        return Outcome(OutcomeKind.FAILED, content=reply.error, media=reply.media)
    return Outcome(OutcomeKind.TEXT, content="".join(reply.text).strip(), media=reply.media)

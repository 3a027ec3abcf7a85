"""The coordination tools every agent ends a turn with (`new_answer`, `vote`), and parsing their calls."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Sequence

NEW_ANSWER = "new_answer"
VOTE = "vote"
WORKFLOW_TOOLS = frozenset({NEW_ANSWER, VOTE})
_LABEL = re.compile(r"agent\s*[_-]?\s*(\d+)", re.IGNORECASE)


class ToolCallError(ValueError):
    """A coordination call the agent got wrong; the message goes back to it as the tool result."""


@dataclass(frozen=True)
class WorkflowCall:
    """A parsed `new_answer` (content) or `vote` (anonymous target label and reason)."""

    call_id: str
    name: str
    content: str = ""
    target: str = ""
    reason: str = ""


def new_answer_tool() -> dict[str, Any]:
    return {
        "name": NEW_ANSWER,
        "description": "Submit your complete answer to the task. It replaces your previous answer and is shown "
                       "to the other agents; all votes are reset.",
        "parameters": {
            "type": "object",
            "properties": {"content": {"type": "string", "description": "Your full answer, in Markdown."}},
            "required": ["content"],
        },
    }


def vote_tool(labels: Sequence[str]) -> dict[str, Any]:
    """`vote` restricted to the anonymous ids of the agents that have an answer."""
    return {
        "name": VOTE,
        "description": "Vote for the best current answer (your own included) when no new answer is needed.",
        "parameters": {
            "type": "object",
            "properties": {
                "agent_id": {"type": "string", "enum": list(labels), "description": "Anonymous id of the answer's agent."},
                "reason": {"type": "string", "description": "Why this answer is the best, in a sentence or two."},
            },
            "required": ["agent_id", "reason"],
        },
    }


def workflow_tools(can_answer: bool, labels: Sequence[str]) -> list[dict[str, Any]]:
    """The coordination tools open to an agent now: voting needs an answer to vote for."""
    tools = [new_answer_tool()] if can_answer else []
    if labels:
        tools.append(vote_tool(labels))
    return tools


def arguments_of(call: dict[str, Any]) -> dict[str, Any]:
    """A call's arguments as a dict (canonical), also from Chat-Completions style or JSON text."""
    args = call.get("arguments")
    if args is None and isinstance(call.get("function"), dict):
        args = call["function"].get("arguments")
    if isinstance(args, str):
        try:
            args = json.loads(args) if args.strip() else {}
        except json.JSONDecodeError:
            raise ToolCallError(f"the arguments are not valid JSON: {args[:80]!r}") from None
    if args is None:
        return {}
    if not isinstance(args, dict):
        raise ToolCallError("the arguments must be a JSON object")
    return args


def name_of(call: dict[str, Any]) -> str:
    return str(call.get("name") or (call.get("function") or {}).get("name") or "")


def parse_workflow_call(call: dict[str, Any]) -> WorkflowCall:
    """A valid WorkflowCall, or ToolCallError saying what to fix (sent back to the agent)."""
    name = name_of(call)
    call_id = str(call.get("id") or "")
    args = arguments_of(call)
    if name == NEW_ANSWER:
        content = args.get("content")
        if not isinstance(content, str) or not content.strip():
            raise ToolCallError("new_answer needs a non-empty 'content' string with your full answer")
        return WorkflowCall(call_id, name, content=content.strip())
    if name == VOTE:
        target = normalise_label(args.get("agent_id"))
        if target is None:
            raise ToolCallError(f"vote needs 'agent_id' naming an answer such as 'agent1' (got {args.get('agent_id')!r})")
        return WorkflowCall(call_id, name, target=target, reason=str(args.get("reason") or "").strip())
    raise ToolCallError(f"{name!r} is not a coordination tool")


def normalise_label(value: Any) -> str | None:
    """'agent2', 'Agent 2', 'agent2.3' or 'agent_2' -> 'agent2'; None if it names no agent."""
    if not isinstance(value, str):
        return None
    match = _LABEL.search(value)
    return f"agent{int(match.group(1))}" if match else None

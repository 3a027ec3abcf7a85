"""What the agents are told: the coordination rules, the task with the anonymised answers, re-asks, presentation."""

from __future__ import annotations

from typing import Any, Sequence

from .state import AgentState, Answer

COORDINATION_RULES = """\
You are one agent of a team working on the same task. The other agents' current answers are shown to \
you anonymised (agent1.2 means agent 1, version 2). Yours is among them once you have answered.

End every turn with exactly one tool call:
- new_answer(content): when you can give a better answer than all current ones. Give the complete \
answer in Markdown, not a diff; it replaces your previous one and is shown to the others.
- vote(agent_id, reason): when a current answer (yours included) is already the best. Vote for the \
answer's agent id (for example agent2) and say why in a sentence.
Any media you generate in a turn is attached to the answer you give in that turn."""

PRESENTATION_RULES = "The team has chosen your answer. You now present the team's final answer to the user."

REASK = ("Finish your turn with a tool call: `vote` or `new_answer`. Make sure you actually call the tool; "
         "text alone is not recorded.")

ORIGINAL_OPEN, ORIGINAL_CLOSE = "<ORIGINAL MESSAGE>", "<END OF ORIGINAL MESSAGE>"
ANSWERS_OPEN, ANSWERS_CLOSE = "<CURRENT ANSWERS from the agents>", "<END OF CURRENT ANSWERS>"
NO_ANSWERS = "(no answers yet)"


def coordination_system(agent_system: str | None) -> str:
    """The agent's own system message followed by the team's rules."""
    return f"{agent_system.strip()}\n\n{COORDINATION_RULES}" if agent_system and agent_system.strip() else COORDINATION_RULES


def presentation_system(agent_system: str | None) -> str:
    return f"{agent_system.strip()}\n\n{PRESENTATION_RULES}" if agent_system and agent_system.strip() else PRESENTATION_RULES


def task_items(task: str, attachment_items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The original message block: the task text and the user's attachments (items or notes)."""
    return [{"type": "text", "text": f"{ORIGINAL_OPEN}\n{task}\n{ORIGINAL_CLOSE}"}, *attachment_items]


def answer_items(answers: Sequence[tuple[Answer, Sequence[dict[str, Any]]]]) -> list[dict[str, Any]]:
    """The anonymised answer listing; each answer's media items (or notes) follow its text."""
    if not answers:
        return [{"type": "text", "text": f"{ANSWERS_OPEN}\n{NO_ANSWERS}\n{ANSWERS_CLOSE}"}]
    items: list[dict[str, Any]] = [{"type": "text", "text": ANSWERS_OPEN}]
    for answer, media_items in answers:
        items.append({"type": "text", "text": f"<{answer.label}>\n{answer.content}"})
        items.extend(media_items)
        items.append({"type": "text", "text": f"<end of {answer.label}>"})
    items.append({"type": "text", "text": ANSWERS_CLOSE})
    return items


def turn_instructions(me: AgentState, can_answer: bool, can_vote: bool, max_answers: int) -> str:
    """Where this agent stands and which tools it may use this turn."""
    lines = [f"You are {me.anon}."]
    lines.append(f"Your latest answer is {me.latest.label}." if me.latest else "You have not answered yet.")
    if not can_vote:
        lines.append("There are no answers to vote for yet: give yours with new_answer.")
    elif not can_answer:
        lines.append(f"You have given the most answers allowed ({max_answers}): vote for the best answer.")
    else:
        lines.append("Give a better answer with new_answer, or vote for the best current answer.")
    return " ".join(lines)


def presentation_instructions(winner: Answer, votes: int, voters: int) -> str:
    return (f"The team chose {winner.label} (your answer) with {votes} of {voters} votes. Present the final answer "
            "to the user now: complete and self-contained, in Markdown, keeping the best points of every answer. "
            "Do not call any tool.")


def user_message(items: list[dict[str, Any]]) -> dict[str, Any]:
    """A user message; merges neighbouring text items so text-only agents get plain, readable text."""
    merged: list[dict[str, Any]] = []
    for item in items:
        if item.get("type") == "text" and merged and merged[-1].get("type") == "text":
            merged[-1] = {"type": "text", "text": merged[-1]["text"] + "\n" + item["text"]}
        else:
            merged.append(dict(item))
    if len(merged) == 1 and merged[0]["type"] == "text":
        return {"role": "user", "content": merged[0]["text"]}
    return {"role": "user", "content": merged}

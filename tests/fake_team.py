"""Making the fake provider server play a team member: each chat request is answered from what it
offers (vote -> vote for the first answer offered, new_answer -> an answer, an image tool -> call it
once, no tools -> the presentation), in that provider's own wire format (the route's handler)."""

from __future__ import annotations

import contextlib
import json
from typing import Any, Iterator

import yaml

from fake_providers import FAKE_KEY, Reply

CHAT_ROUTES = ("openai.responses", "openai.chat", "azure.chat", "anthropic.messages", "gemini.stream",
               "gemini.generate")
IMAGE_CALL_ID = "call_img_1"
FINAL = "Final answer from the fake provider."


def find_tool(body: Any, name: str) -> dict[str, Any] | None:
    """The tool definition called `name` anywhere in a request body (every provider nests it differently)."""
    if isinstance(body, dict):
        if body.get("name") == name and any(k in body for k in ("parameters", "input_schema", "parametersJsonSchema")):
            return body
        items = body.values()
    elif isinstance(body, list):
        items = body
    else:
        return None
    return next((found for item in items if (found := find_tool(item, name)) is not None), None)


def find_enum(node: Any) -> list[str]:
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            return node["enum"]
        node = list(node.values())
    if isinstance(node, list):
        return next((found for item in node if (found := find_enum(item))), [])
    return []


def decide(body: dict[str, Any], image_tool: str | None) -> Reply:
    """What a sensible team member says to this request."""
    text = json.dumps(body)
    first_turn = "You have not answered yet" in text
    if image_tool and find_tool(body, image_tool) and first_turn and IMAGE_CALL_ID not in text:
        return Reply(text="Drawing it.", tool_calls=[{"id": IMAGE_CALL_ID, "name": image_tool,
                                                      "arguments": {"prompt": "a futuristic cityscape"}}])
    vote = find_tool(body, "vote")
    if vote is not None:
        label = find_enum(vote)[0]
        return Reply(text=f"I vote for {label}.", tool_calls=[{"id": "call_vote", "name": "vote",
                                                                "arguments": {"agent_id": label, "reason": "complete"}}])
    if find_tool(body, "new_answer") is not None:
        return Reply(text="Here is my answer.", tool_calls=[{"id": "call_answer", "name": "new_answer",
                                                              "arguments": {"content": "An answer from the fake provider."}}])
    return Reply(text=FINAL)


@contextlib.contextmanager
def playing_team(server: Any, image_tool: str | None = None) -> Iterator[None]:
    """Swap the chat routes' handlers for team-playing ones, and put them back afterwards."""
    with server._lock:
        routes = [r for r in server._routes if r.name in CHAT_ROUTES]
    originals = {id(r): r.handler for r in routes}

    def wrap(handler: Any) -> Any:
        def play(ex: Any) -> None:
            ex.reply = decide(ex.json or {}, image_tool)
            handler(ex)
        return play

    for route in routes:
        route.handler = wrap(route.handler)
    try:
        yield
    finally:
        for route in routes:
            route.handler = originals[id(route)]


def point_at(server: Any, config_text: str) -> str:
    """The team YAML with each backend's base_url on the fake server (keys come from the environment)."""
    data = yaml.safe_load(config_text)
    urls = {"openai": server.openai_base_url, "chatcompletion": server.openai_base_url,
            "claude": server.anthropic_base_url, "gemini": server.gemini_base_url, "grok": server.openai_base_url,
            "azure_openai": server.azure_endpoint}
    for agent in data["agents"]:
        agent["backend"]["base_url"] = urls[agent["backend"]["type"]]
        if agent["backend"]["type"] == "chatcompletion":  # a local server takes no key; the fake one checks
            agent["backend"]["api_key"] = FAKE_KEY
    return yaml.safe_dump(data, sort_keys=False)


def fake_keys(monkeypatch: Any, server: Any) -> None:
    for var in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "XAI_API_KEY", "AZURE_OPENAI_API_KEY"):
        monkeypatch.setenv(var, FAKE_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", server.openai_base_url)  # the image tool's OpenAI client

"""The offline demo backend: deterministic, paced, honest about being a demo, uses the coordination
and image tools for real, and reads the pixels of the images it is given."""

from __future__ import annotations

import io
import json
import time

import pytest

from massgen.backend import create_backend
from massgen.demo.backend import DemoBackend
from massgen.demo.text import DISCLAIMER
from massgen.errors import ConfigError
from massgen.media.ref import MediaRef
from massgen.orchestrator import prompts
from massgen.orchestrator.tools import new_answer_tool, vote_tool
from massgen.stream_chunk import ChunkType

IMAGE_TOOL = {"name": "generate_image", "description": "Generate images with demo.",
              "parameters": {"type": "object", "properties": {"prompt": {"type": "string"}}}}


def two_colour_png(width: int = 120, height: int = 80) -> bytes:
    """Left three quarters red, right quarter blue."""
    from PIL import Image

    image = Image.new("RGB", (width, height), (205, 40, 40))
    image.paste((45, 95, 210), (width * 3 // 4, 0, width, height))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def coordination_messages(task: str, answers: list[tuple[str, str]] = (), me: str = "agent1",
                          mine: str | None = None, images: list[tuple[str, bytes]] = ()) -> list[dict]:
    items = [{"type": "text", "text": f"{prompts.ORIGINAL_OPEN}\n{task}\n{prompts.ORIGINAL_CLOSE}"},
             {"type": "text", "text": prompts.ANSWERS_OPEN}]
    for label, text in answers:
        items.append({"type": "text", "text": f"<{label}>\n{text}"})
        items += [{"type": "image", "ref": MediaRef.from_bytes(data, "image/png", filename=f"{label}.png")}
                  for owner, data in images if owner == label]
        items.append({"type": "text", "text": f"<end of {label}>"})
    items.append({"type": "text", "text": prompts.ANSWERS_CLOSE})
    mine_text = f"Your latest answer is {mine}." if mine else "You have not answered yet."
    items.append({"type": "text", "text": f"You are {me}. {mine_text}"})
    return [{"role": "system", "content": "You are the critic."}, {"role": "user", "content": items}]


async def run(backend: DemoBackend, messages: list[dict], tools: list[dict]) -> tuple[str, list[dict], list]:
    chunks = [c async for c in backend.stream_with_tools(messages, tools)]
    text = "".join(c.content for c in chunks if c.type == ChunkType.CONTENT)
    calls = [call for c in chunks if c.type == ChunkType.TOOL_CALLS for call in c.tool_calls]
    return text, calls, chunks


async def test_the_same_input_gives_the_same_output_and_chunk_order() -> None:
    messages = coordination_messages("Plan a weekend trip to the mountains")
    first = await run(DemoBackend(agent_id="planner", stream_rate=0), messages, [new_answer_tool()])
    second = await run(DemoBackend(agent_id="planner", stream_rate=0), messages, [new_answer_tool()])
    assert first[:2] == second[:2]
    kinds = [c.type for c in first[2]]
    assert kinds[-3:] == [ChunkType.TOOL_CALLS, ChunkType.COMPLETE_MESSAGE, ChunkType.DONE]
    assert set(kinds[:-3]) == {ChunkType.CONTENT}
    assert first[2][-2].complete_message == {"role": "assistant", "content": first[0], "tool_calls": first[1]}


async def test_it_answers_with_a_real_new_answer_call_and_says_it_is_the_demo() -> None:
    text, calls, _ = await run(DemoBackend(agent_id="planner", stream_rate=0),
                               coordination_messages("Plan a weekend trip to the mountains"), [new_answer_tool()])
    assert DISCLAIMER in text and "## Plan: Plan a weekend trip to the mountains" in text
    assert [c["name"] for c in calls] == ["new_answer"] and calls[0]["arguments"]["content"] == text
    assert "*mountains*" in text  # shaped by the task's own words


async def test_roles_come_from_the_agent_id_or_the_system_message() -> None:
    task = "Describe a lighthouse"
    by_id = await run(DemoBackend(agent_id="critic", stream_rate=0), coordination_messages(task), [new_answer_tool()])
    assert "## Review checklist" in by_id[0]
    messages = coordination_messages(task)
    messages[0]["content"] = "You are a meticulous planner.\n\n" + prompts.COORDINATION_RULES
    by_system = await run(DemoBackend(agent_id="agent_x", stream_rate=0), messages, [new_answer_tool()])
    assert "## Plan:" in by_system[0]
    plain = await run(DemoBackend(agent_id="agent_x", stream_rate=0), coordination_messages(task)[1:], [new_answer_tool()])
    assert "## Describe a lighthouse" in plain[0]


async def test_the_artist_calls_the_image_tool_then_answers_with_the_file() -> None:
    artist = DemoBackend(agent_id="artist", stream_rate=0)
    messages = coordination_messages("A harbour at sunset")
    text, calls, _ = await run(artist, messages, [new_answer_tool(), IMAGE_TOOL])
    assert [c["name"] for c in calls] == ["generate_image"]
    assert calls[0]["arguments"] == {"prompt": "An illustration of: A harbour at sunset"}
    result = {"success": True, "files": [{"path": "/s/media/harbour.png", "continuation_id": "demo:abc"}]}
    followed = messages + [{"role": "assistant", "content": text, "tool_calls": calls},
                           {"role": "tool", "tool_call_id": calls[0]["id"], "name": "generate_image",
                            "content": json.dumps(result)}]
    text2, calls2, _ = await run(artist, followed, [new_answer_tool(), IMAGE_TOOL])
    assert [c["name"] for c in calls2] == ["new_answer"]
    assert "saved as `harbour.png` (continuation id `demo:abc`)" in calls2[0]["arguments"]["content"]


async def test_a_failed_image_tool_is_reported_not_hidden() -> None:
    artist = DemoBackend(agent_id="artist", stream_rate=0)
    messages = coordination_messages("A harbour") + [
        {"role": "assistant", "content": "", "tool_calls": [{"id": "x", "name": "generate_image", "arguments": {}}]},
        {"role": "tool", "tool_call_id": "x", "name": "generate_image",
         "content": json.dumps({"success": False, "files": [], "errors": ["demo: disk full"]})}]
    _, calls, _ = await run(artist, messages, [new_answer_tool(), IMAGE_TOOL])
    assert "The image tool failed: demo: disk full" in calls[0]["arguments"]["content"]


async def test_a_reviewer_reads_the_pixels_and_votes_for_the_answer_with_the_image() -> None:
    answers = [("agent1.1", "## Plan: x\n1. a\n2. b"), ("agent2.1", "## Image: a red wall")]
    messages = coordination_messages("Paint a red wall", answers, me="agent3", mine="agent3.1",
                                     images=[("agent2.1", two_colour_png())])
    text, calls, _ = await run(DemoBackend(agent_id="critic", stream_rate=0), messages,
                               [new_answer_tool(), vote_tool(["agent1", "agent2", "agent3"])])
    assert [c["name"] for c in calls] == ["vote"] and calls[0]["arguments"]["agent_id"] == "agent2"
    assert "**agent2.1:** 120x80 px, mostly red (75%) and blue (25%)" in text
    assert "120x80" in calls[0]["arguments"]["reason"]


async def test_an_image_it_cannot_see_is_named_from_the_note() -> None:
    note = "[agent2.1 attached image art.png (image/png, 64x48, 1 KB), saved at /x/art.png; it is not shown to you: no]"
    messages = coordination_messages("Paint", [("agent1.1", "text only"), ("agent2.1", f"pic\n{note}")],
                                     me="agent1", mine="agent1.1")
    text, calls, _ = await run(DemoBackend(agent_id="planner", stream_rate=0), messages,
                               [vote_tool(["agent1", "agent2"])])
    assert "agent2.1: image art.png (image/png, 64x48, 1 KB) (described to me, not shown)" in text
    assert calls[0]["arguments"]["agent_id"] == "agent2"


async def test_presenting_gives_the_final_answer_without_tools() -> None:
    answers = [("agent1.1", "## Plan: go\n1. first step\n2. second step"), ("agent2.1", "## Image: boat\nA boat.")]
    messages = coordination_messages("Boat", answers)
    messages[-1]["content"][-1] = {"type": "text", "text": prompts.presentation_instructions(
        type("A", (), {"label": "agent2.1"})(), 2, 2)}
    text, calls, _ = await run(DemoBackend(agent_id="artist", stream_rate=0), messages, [])
    assert calls == [] and text.startswith("## Final answer\n\n### Image: boat")
    assert "1. first step" in text and text.rstrip().endswith(f"_{DISCLAIMER}_")


async def test_stream_rate_paces_the_words_and_zero_means_no_delay() -> None:
    messages = coordination_messages("Plan a weekend trip to the mountains")
    started = time.monotonic()
    _, _, fast = await run(DemoBackend(agent_id="planner", stream_rate=0), messages, [new_answer_tool()])
    fast_time = time.monotonic() - started
    words = len("".join(c.content for c in fast if c.type == ChunkType.CONTENT).split())
    started = time.monotonic()
    await run(DemoBackend(agent_id="planner", stream_rate=words * 4), messages, [new_answer_tool()])
    paced_time = time.monotonic() - started
    assert paced_time >= 0.2 and fast_time < paced_time / 2


@pytest.mark.parametrize("rate", [-1, "fast", True])
def test_a_bad_stream_rate_is_a_clear_config_error(rate) -> None:
    with pytest.raises(ConfigError, match="stream_rate .* must be a number >= 0"):
        DemoBackend(stream_rate=rate)


def test_create_backend_builds_the_demo_with_no_key() -> None:
    backend = create_backend({"type": "demo", "stream_rate": 0, "seed": 3}, agent_id="planner")
    assert isinstance(backend, DemoBackend) and backend.stream_rate == 0 and backend.seed == 3
    assert backend.supports_multimodal_input()["image"] is True

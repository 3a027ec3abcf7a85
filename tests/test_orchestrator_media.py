"""Media between agents: images reach a vision agent fitted to its limits and a text agent as a note;
provider image output and tool-made images are saved in the session and travel with the answer."""

from __future__ import annotations

import io
import json
import random

from massgen.session import replay
from massgen.stream_chunk import ChunkType, MediaEncoding

from image_tool import PaintTool, png
from orchestrator_helpers import collect, orchestrator
from scripted_backend import ScriptedBackend, Step, answer, call


def noisy_png(side: int = 256) -> bytes:
    """A PNG that compresses badly (random pixels), so byte limits force a real re-encode."""
    from PIL import Image

    rng = random.Random(7)
    image = Image.frombytes("RGB", (side, side), bytes(rng.randrange(256) for _ in range(side * side * 3)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _image_step(data: bytes, content: str) -> Step:
    step = answer(content)
    step.image = data
    return step


async def test_provider_image_output_is_saved_and_shared_with_the_answer(tmp_path) -> None:
    painter = ScriptedBackend([_image_step(png(), "here is my picture")])
    viewer = ScriptedBackend([answer("words only", delay=0.03)])
    orch = orchestrator(tmp_path, {"painter": painter, "viewer": viewer})
    chunks = await collect(orch)

    media = [c for c in chunks if c.type == ChunkType.MEDIA]
    assert len(media) == 1 and media[0].source == "painter"
    assert media[0].media_encoding == MediaEncoding.FILE_PATH
    saved = tmp_path / "session" / "media" / media[0].media_metadata.filename
    assert str(saved) == media[0].media_data and saved.read_bytes() == png()
    index = json.loads((tmp_path / "session" / "media.json").read_text())
    assert index == [{"file": f"media/{saved.name}", "agent": "painter", "media_id": "img-1", "media_type": "image",
                      "mime_type": "image/png", "continuation_id": "scripted:1", "generator": "scripted",
                      "width": 64, "height": 48, "size_bytes": len(png())}]
    items = viewer.media_items(-1)
    assert [i["type"] for i in items] == ["image"] and items[0]["ref"].read_bytes() == png()
    assert "<agent1.1>" in viewer.user_text(-1)


async def test_a_vision_agent_gets_images_fitted_to_its_limits(tmp_path) -> None:
    big = noisy_png()
    assert len(big) > 100_000
    painter = ScriptedBackend([_image_step(big, "noisy picture")])
    small = ScriptedBackend([answer("mine", delay=0.03)], media_limits={"image": "40KB"})
    orch = orchestrator(tmp_path, {"painter": painter, "small": small})
    await collect(orch)
    items = small.media_items(-1)
    assert len(items) == 1
    ref = items[0]["ref"]
    assert ref.item.size_bytes <= 40 * 1024 and ref.item.mime_type in ("image/jpeg", "image/webp", "image/png")
    from PIL import Image

    with Image.open(io.BytesIO(ref.read_bytes())) as fitted:
        assert fitted.size[0] <= 256 and fitted.size[0] == fitted.size[1]
    # the original on disk is untouched; only the copy sent to this agent was fitted
    saved = list((tmp_path / "session" / "media").iterdir())
    assert [p.read_bytes() for p in saved] == [big]


async def test_a_text_only_agent_gets_a_note_naming_each_file(tmp_path) -> None:
    painter = ScriptedBackend([_image_step(png(), "see picture")])
    reader = ScriptedBackend([answer("text", delay=0.03)], vision=False)
    orch = orchestrator(tmp_path, {"painter": painter, "reader": reader})
    await collect(orch)
    assert reader.media_items(-1) == []
    text = reader.user_text(-1)
    name = next((tmp_path / "session" / "media").iterdir()).name
    assert f"[agent1.1 attached image {name} (image/png, 64x48" in text
    assert "it is not shown to you: your model does not take image input]" in text


async def test_a_tool_made_image_joins_the_answer_and_the_winner_media(tmp_path) -> None:
    paint = PaintTool(tmp_path / "made")
    artist = ScriptedBackend([call("paint", prompt="a red boat"), answer("boat drawn")], presentation="final boat")
    critic = ScriptedBackend([answer("critique", delay=0.05)], then=lambda m, t: Step(calls=[
        {"id": "v", "name": "vote", "arguments": {"agent_id": "agent1", "reason": "has a boat"}}]))
    orch = orchestrator(tmp_path, {"artist": artist, "critic": critic},
                        tool_runners={"artist": paint, "critic": None})
    chunks = await collect(orch)

    assert paint.prompts == ["a red boat"]
    tool_result = [m for m in artist.requests[1][0] if m["role"] == "tool"]
    assert tool_result == [{"role": "tool", "tool_call_id": "call-paint", "name": "paint",
                            "content": "Generated image: paint-1.png (64x48)"}]
    assert [t["name"] for t in artist.requests[0][1]] == ["new_answer", "paint"]
    progress = [c for c in chunks if c.type == ChunkType.MEDIA_PROGRESS]
    assert progress and progress[0].source == "artist"
    tool_status = [(c.status, c.content) for c in chunks if c.type == ChunkType.TOOL_STATUS]
    assert tool_status == [("running", "paint"), ("done", "paint")]
    assert orch.result.winner == "artist" and len(orch.result.media) == 1
    shared = orch.result.media[0]
    assert shared.prompt == "a red boat" and shared.continuation_id == "paint:1"
    assert shared.path.startswith(str(tmp_path / "session" / "media"))
    assert critic.media_items(-1)[0]["type"] == "image"
    final = (tmp_path / "session" / "final_answer.md").read_text()
    assert final.startswith("final boat") and "](media/" in final


async def test_the_transcript_replays_with_media_paths_that_resolve(tmp_path) -> None:
    painter = ScriptedBackend([_image_step(png(), "picture")])
    orch = orchestrator(tmp_path, {"painter": painter})
    chunks = await collect(orch)
    replayed = list(replay(tmp_path / "session"))
    assert [c.to_dict() | {"media_data": None} for c in replayed] == [c.to_dict() | {"media_data": None} for c in chunks]
    media = [c for c in replayed if c.type == ChunkType.MEDIA]
    assert media[0].media_data == chunks[[c.type for c in chunks].index(ChunkType.MEDIA)].media_data
    line = next(json.loads(l) for l in (tmp_path / "session" / "transcript.jsonl").read_text().splitlines()
                if '"media"' in l and '"kind": "multimodal"' in l)
    assert line["media_data"].startswith("media/")  # stored relative, so the folder can be moved

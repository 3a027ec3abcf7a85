"""What the attachment bar promises is what each provider receives: a team of Claude, OpenAI, Gemini and
chat-completions agents runs through the real SDKs against the fake server with a large PNG, a text file,
a PDF and a WAV attached, and each provider's recorded request is checked against plan_attachments."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

from massgen.attachments import AgentSpec, PrepareCache, load_attachments, plan_attachments, prefit
from massgen.config import load_config_text
from massgen.media.limits import limits_for
from massgen.orchestrator import Orchestrator
from massgen.session import Session
from massgen.stream_chunk import ChunkType

from fake_providers.wire import wire_media
from fake_team import fake_keys, playing_team, point_at
from formatter_samples import wav_bytes
from generation_samples import pdf_bytes, text_page

TEAM = {"agents": [
    {"id": "claude", "backend": {"type": "claude", "model": "claude-sonnet-4-6", "max_tokens": 1000}},
    {"id": "gpt", "backend": {"type": "openai", "model": "gpt-5"}},
    {"id": "gem", "backend": {"type": "gemini", "model": "gemini-2.5-flash"}},
    {"id": "local", "backend": {"type": "chatcompletion", "model": "llama-3"}},
], "orchestrator": {"timeout_seconds": 60}}
ROUTES = {"claude": "anthropic.messages", "gpt": "openai.responses", "gem": "gemini.stream", "local": "openai.chat"}
NOTES_TEXT = "Shopping list: 3 lemons, 1 kg flour, olive oil."
PDF_PHRASE = "Quarterly revenue rose by 12 percent"


def files(folder: Path) -> list[Path]:
    """A 3000x2000 PNG, a text file, a PDF with a text layer and a short WAV."""
    photo = folder / "panorama.png"
    Image.new("RGB", (3000, 2000), (40, 120, 200)).save(photo)
    notes = folder / "notes.txt"
    notes.write_text(NOTES_TEXT, encoding="utf-8")
    report = folder / "report.pdf"
    report.write_bytes(pdf_bytes([text_page([PDF_PHRASE])]))
    voice = folder / "memo.wav"
    voice.write_bytes(wav_bytes())
    return [photo, notes, report, voice]


def wire_text(node: Any) -> str:
    """All text a request carries (every string that is not a data URL), joined."""
    if isinstance(node, dict):
        return "\n".join(wire_text(v) for k, v in node.items() if k not in ("data", "source", "inlineData"))
    if isinstance(node, list):
        return "\n".join(wire_text(v) for v in node)
    return node if isinstance(node, str) and not node.startswith("data:") else ""


def first_request(server: Any, route: str) -> dict[str, Any]:
    """The body of the first turn an agent sent (the task, attachments and no answers yet)."""
    return next(r.json for r in server.calls(route) if "You have not answered yet" in json.dumps(r.json))


def specs(team: Any) -> list[AgentSpec]:
    return [AgentSpec(a.id, a.backend.type, limits_for(a.backend.type)) for a in team.agents]


async def test_each_provider_receives_what_the_bar_planned(fake_server, monkeypatch, tmp_path) -> None:
    fake_keys(monkeypatch, fake_server)
    paths = files(tmp_path)
    team = load_config_text(point_at(fake_server, yaml.safe_dump(TEAM)), "mixed.yaml")
    attachments = await load_attachments(paths)
    cache = PrepareCache()
    await prefit(attachments, specs(team), cache=cache)  # what the attachment bar does as files are added
    fits_for_bar = cache.fits_made
    plan = plan_attachments(attachments, specs(team), cache)
    orch = Orchestrator(team, session=Session(tmp_path / "s"), attachment_cache=cache)
    with playing_team(fake_server):
        chunks = [c async for c in orch.run("Summarise what I attached", attachments=paths)]
    await orch.aclose()
    assert orch.result.status == "done", orch.result.detail
    assert [c.media_metadata.filename for c in chunks if c.type == ChunkType.ATTACHMENT] == [p.name for p in paths]
    assert fits_for_bar == 2 and cache.fits_made == fits_for_bar  # Claude's and OpenAI's fits: made once, for the bar

    for agent, decisions in plan.items():
        body = first_request(fake_server, ROUTES[agent])
        media, text = list(wire_media(body)), wire_text(body)
        images = [Image.open(io.BytesIO(data)).size for mime, data in media if mime.startswith("image/")]
        for decision in decisions:
            name, path = decision.attachment.name, decision.attachment.path
            where = f"{agent} / {name}: {decision.line}"
            if decision.action == "as_is":
                assert any(data == path.read_bytes() for _, data in media), where
            elif decision.action == "fit":
                assert decision.fitted is not None and images == [decision.fitted[:2]], (where, images)
            elif decision.action == "stand_in":
                assert not any(data == path.read_bytes() for _, data in media), where
                assert f"[Attached file {name} (" in text and decision.reason in text, where
            else:
                assert decision.action == "left_out", where
                assert f"[Attached file {name} (" in text and f"left out: {decision.reason}]" in text, where
        assert len(media) == sum(d.sends_file for d in decisions), (agent, [m for m, _ in media])

    # the plan itself, as the issue states it for these backends
    actions = {agent: [d.action for d in decisions] for agent, decisions in plan.items()}
    assert actions == {"claude": ["fit", "stand_in", "as_is", "stand_in"],  # OPENAI_API_KEY is set: transcripts
                       "gpt": ["fit", "stand_in", "as_is", "stand_in"],
                       "gem": ["as_is", "stand_in", "as_is", "as_is"],
                       "local": ["left_out", "stand_in", "stand_in", "stand_in"]}
    assert plan["claude"][3].line == "claude: sent as a transcript"
    transcribed = fake_server.calls("openai.audio.transcriptions")
    assert len(transcribed) == 1 and transcribed[0].form["file"]["data"] == paths[3].read_bytes()  # once, for 3 agents
    heard = f"heard {len(paths[3].read_bytes())} bytes of memo.wav"  # what the fake's speech-to-text answers
    assert all(heard in wire_text(first_request(fake_server, ROUTES[a])) for a in ("claude", "gpt", "local"))
    assert max(plan["claude"][0].fitted[:2]) == 1568 and max(plan["gpt"][0].fitted[:2]) == 2048
    claude_blocks = first_request(fake_server, ROUTES["claude"])["messages"][-1]["content"]
    document = next(b for b in claude_blocks if b["type"] == "document")
    assert base64.b64decode(document["source"]["data"]) == paths[2].read_bytes()
    assert PDF_PHRASE in wire_text(first_request(fake_server, ROUTES["local"]))
    assert NOTES_TEXT in wire_text(first_request(fake_server, ROUTES["gem"]))
    assert "[Attached file memo.wav (" in wire_text(first_request(fake_server, ROUTES["claude"]))

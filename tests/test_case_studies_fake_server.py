"""The seed's two case-study teams (configs/multimodal/) run to a final answer through the real SDK
backends against the fake provider server: coordination tool calls in each provider's wire format,
an image made by the DALL-E tool and shown to the Claude art director."""

from __future__ import annotations

from pathlib import Path

from massgen.config import load_config_text
from massgen.orchestrator import Orchestrator
from massgen.session import Session, replay
from massgen.stream_chunk import ChunkType

from fake_team import FINAL, fake_keys, playing_team, point_at

CONFIGS = Path(__file__).resolve().parent.parent / "configs" / "multimodal"


async def _run(fake_server, monkeypatch, tmp_path, name: str, image_tool: str | None, task: str, **kw):
    fake_keys(monkeypatch, fake_server)
    text = point_at(fake_server, (CONFIGS / name).read_text(encoding="utf-8"))
    team = load_config_text(text, name)
    orch = Orchestrator(team, session=Session(tmp_path / "session"))
    with playing_team(fake_server, image_tool):
        chunks = [chunk async for chunk in orch.run(task, **kw)]
    await orch.aclose()
    return orch, chunks


async def test_image_generation_team_reaches_a_final_answer_with_a_shared_image(fake_server, monkeypatch, tmp_path):
    orch, chunks = await _run(fake_server, monkeypatch, tmp_path, "image_generation_team.yaml", "dalle_generate",
                              "create a futuristic cityscape")
    result = orch.result
    assert result.status == "done", result.detail
    assert result.final_answer == FINAL
    failed = [c.content for c in chunks if c.type == ChunkType.AGENT_STATUS and c.status == "failed"]
    assert set(result.agent_status.values()) == {"done"}, failed
    assert sum(result.tally.values()) == 4  # every agent voted
    assert result.winner in result.tally

    media = [c for c in chunks if c.type == ChunkType.MEDIA]
    assert [c.source for c in media] == ["dalle_artist"]
    assert media[0].media_metadata.continuation_id and media[0].media_metadata.generator == "openai"
    assert Path(media[0].media_data).parent == tmp_path / "session" / "media"
    images_sent = [r for r in fake_server.calls("openai.images.generate")]
    assert len(images_sent) == 1 and images_sent[0].json["model"] == "gpt-image-2.5-sunburst"

    claude_requests = [r.json for r in fake_server.calls("anthropic.messages")]
    assert all(any(t["name"] == "new_answer" or t["name"] == "vote" for t in body.get("tools", []))
               for body in claude_requests if body.get("tools"))
    image_blocks = [block for body in claude_requests for msg in body["messages"] if isinstance(msg["content"], list)
                    for block in msg["content"] if block.get("type") == "image"]
    assert image_blocks and image_blocks[0]["source"]["type"] == "base64"  # the art director saw the image

    assert [c.to_dict()["type"] for c in replay(tmp_path / "session")] == [c.to_dict()["type"] for c in chunks]


async def test_document_analysis_team_reaches_a_final_answer_with_a_pdf_attached(fake_server, monkeypatch, tmp_path):
    from fake_providers import TINY_PDF

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(TINY_PDF)
    orch, chunks = await _run(fake_server, monkeypatch, tmp_path, "document_analysis.yaml", None,
                              "analyze the uploaded document", attachments=[pdf])
    result = orch.result
    assert result.status == "done", result.detail
    assert result.final_answer == FINAL and sum(result.tally.values()) == 2
    attached = [c for c in chunks if c.type == ChunkType.ATTACHMENT]
    assert len(attached) == 1 and attached[0].media_metadata.mime_type == "application/pdf"
    gemini_bodies = [r.json for r in fake_server.requests if r.route.startswith("gemini.")]
    inline = [part for body in gemini_bodies for content in body["contents"] for part in content["parts"]
              if "inlineData" in part or "inline_data" in part]
    assert inline, "the vision analyst received the PDF itself"

"""A PDF over Claude's 32 MB inline limit: the bar plans an upload, and a team run uploads it through the
Anthropic Files API (real SDK, fake server) and names it by file id, with progress, in one pass over the file."""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from massgen.attachments import PrepareCache, load_attachments, plan_attachments
from massgen.config import load_config_text
from massgen.media.limits import MB, limits_for
from massgen.orchestrator import Orchestrator
from massgen.session import Session
from massgen.stream_chunk import ChunkType

from fake_team import fake_keys, playing_team, point_at
from generation_samples import pdf_bytes, text_page
from test_attachments_reach_providers import first_request, specs

TEAM = {"agents": [{"id": "claude", "backend": {"type": "claude", "model": "claude-sonnet-4-6", "max_tokens": 1000}}],
        "orchestrator": {"timeout_seconds": 60}}
SIZE = 40 * MB


def big_pdf(folder: Path) -> Path:
    """A valid 40 MB PDF: a real page, then zeros (sparse on disk) before a final %%EOF."""
    path = folder / "scans.pdf"
    with path.open("wb") as out:
        out.write(pdf_bytes([text_page(["Appendix B"])]))
        out.write(b"%")
        out.seek(SIZE - 7)
        out.write(b"\n%%EOF\n")
    return path


async def test_a_40_mb_pdf_is_uploaded_as_the_bar_planned(fake_server, monkeypatch, tmp_path) -> None:
    fake_keys(monkeypatch, fake_server)
    path = big_pdf(tmp_path)
    team = load_config_text(point_at(fake_server, yaml.safe_dump(TEAM)), "claude.yaml")
    attachments = await load_attachments([path])
    cache = PrepareCache()
    decision = plan_attachments(attachments, specs(team), cache)["claude"][0]
    assert decision.action == "upload" and SIZE > limits_for("claude").max_bytes("document")
    assert decision.line == "claude: uploaded through the file API (40 MB)"

    orch = Orchestrator(team, session=Session(tmp_path / "s"), attachment_cache=cache)
    started = time.perf_counter()
    with playing_team(fake_server):
        chunks = [c async for c in orch.run("What is in the appendix?", attachments=attachments)]
    seconds = time.perf_counter() - started
    await orch.aclose()
    assert orch.result.status == "done", orch.result.detail

    uploads = fake_server.calls("anthropic.files.upload")
    assert len(uploads) == 1  # once, though the agent takes several turns
    stored = fake_server.state["anthropic_files"]["file_0001"]
    assert stored["size_bytes"] == SIZE and stored["data"] == path.read_bytes()
    blocks = first_request(fake_server, "anthropic.messages")["messages"][-1]["content"]
    documents = [b for b in blocks if b["type"] == "document"]
    assert documents == [{"type": "document", "source": {"type": "file", "file_id": "file_0001"}, "title": "scans.pdf"}]
    progress = [c for c in chunks if c.source == "claude" and c.type in (ChunkType.ATTACHMENT, ChunkType.ATTACHMENT_COMPLETE)]
    assert progress[0].bytes_transferred == 0 and progress[-1].type == ChunkType.ATTACHMENT_COMPLETE
    assert len(progress) == 22 and all(c.total_bytes == SIZE for c in progress)  # 0, 20 steps, complete
    assert seconds < 20, seconds  # about 1.7 s here, most of it the fake server parsing the 40 MB multipart body

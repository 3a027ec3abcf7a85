"""Per-agent decisions and the message items each agent receives: as is, fitted, stand-in text, or a note."""

from __future__ import annotations

import asyncio
import base64
import io
import os
import time
from pathlib import Path

import pytest
from PIL import Image

from media_samples import noise_image, pdf_bytes, wav_bytes, write_sparse_mp4
from massgen.attachments import (AgentSpec, PrepareCache, load_attachment, plan_attachments, prefit,
                                 prepare_for_agent, prepare_for_team)
from massgen.formatter import MessageFormatter
from massgen.media import MediaRef, human_size, limits_for
from massgen.stream_chunk import MediaType


def text_pdf(*lines: str) -> bytes:
    """A one-page PDF whose content stream draws `lines` in Helvetica (so pypdf can extract them)."""
    shown = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    content = f"BT /F1 12 Tf 20 170 Td {shown} ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def save(path: Path, image: Image.Image, fmt: str = "PNG", **options) -> Path:
    image.save(path, fmt, **options)
    return path


@pytest.fixture
def wide_png(tmp_path: Path) -> Path:
    """3000x2000: over OpenAI's 2048 px side, small in bytes."""
    return save(tmp_path / "wide.png", Image.linear_gradient("L").resize((3000, 2000)).convert("RGB"))


@pytest.fixture
def noisy_png(tmp_path: Path) -> Path:
    """600x400 of noise: about 700 KB that no encoder can squeeze much."""
    return save(tmp_path / "noisy.png", noise_image((600, 400)))


def tiny_claude(agent_id: str = "tiny") -> AgentSpec:
    """A Claude agent whose YAML caps images at 200 KB, so a noisy image must be fitted by bytes."""
    return AgentSpec.of(agent_id, "claude", {"max_bytes": {"image": "200KB"}})


def decode(item: dict) -> Image.Image:
    ref: MediaRef = item["ref"]
    return Image.open(io.BytesIO(base64.b64decode(ref.base64())))


def test_lines_say_what_each_agent_gets(tmp_path, wide_png):
    (tmp_path / "notes.txt").write_text("meeting at noon\n")
    (tmp_path / "memo.wav").write_bytes(wav_bytes(0.5))
    (tmp_path / "report.pdf").write_bytes(text_pdf("Quarterly numbers"))
    names = ["wide.png", "notes.txt", "memo.wav", "report.pdf", "gone.png"]
    attachments = [load_attachment(tmp_path / n) for n in names]
    agents = [AgentSpec.of("claude", "claude"), AgentSpec.of("gpt", "openai"), AgentSpec.of("grok", "grok")]
    plan = plan_attachments(attachments, agents)
    side = limits_for("openai").limit(MediaType.IMAGE).max_side
    fitted = f"{side}x{2000 * side // 3000}"
    assert [d.line for d in plan["gpt"]] == [
        f"gpt: fitted to {fitted}, max {human_size(limits_for('openai').max_bytes('image'))}",
        "gpt: sent as text",
        "gpt: left out: openai does not take audio; set OPENAI_API_KEY for a transcript",
        "gpt: as is",
        "gpt: left out: file not found; check the path, or drop the file onto the terminal",
    ]
    assert [d.action for d in plan["claude"]] == ["fit", "stand_in", "left_out", "as_is", "left_out"]
    claude_side = limits_for("claude").limit(MediaType.IMAGE).max_side
    assert plan["claude"][0].line.startswith(f"claude: fitted to {claude_side}x{2000 * claude_side // 3000}")
    assert plan["grok"][3].line == "grok: sent as its extracted text"


async def test_items_follow_the_contract_and_format_for_each_provider(tmp_path, wide_png):
    (tmp_path / "report.pdf").write_bytes(text_pdf("Quarterly numbers", "Revenue up 12 percent"))
    (tmp_path / "memo.wav").write_bytes(wav_bytes(0.5))
    attachments = [load_attachment(tmp_path / n) for n in ("wide.png", "report.pdf", "memo.wav")]
    cache = PrepareCache()
    gpt = await prepare_for_agent(attachments, limits_for("openai"), cache=cache)
    grok = await prepare_for_agent(attachments, limits_for("grok"), cache=cache)

    assert [i["type"] for i in gpt] == ["image", "document", "text"]
    assert decode(gpt[0]).size == (2048, 1365) and gpt[0]["filename"] == "wide.png"
    assert gpt[1]["ref"].item.mime_type == "application/pdf"
    assert gpt[2]["text"].startswith("[Attached file memo.wav (a WAV audio, ") and "openai does not take audio" in gpt[2]["text"]
    assert grok[1]["type"] == "text" and "Quarterly numbers" in grok[1]["text"] and "Revenue up 12 percent" in grok[1]["text"]

    messages = [{"role": "user", "content": [{"type": "text", "text": "look"}, *gpt]}]
    request = MessageFormatter.to_chat_completions_format(messages, "openai")
    parts = request[0]["content"]
    image_url = next(p["image_url"]["url"] for p in parts if p["type"] == "image_url")
    assert image_url == gpt[0]["ref"].data_url()


async def test_agents_with_the_same_limits_share_one_fit_and_one_encoding(noisy_png):
    attachment = load_attachment(noisy_png)
    cache = PrepareCache()
    team = [tiny_claude("a"), tiny_claude("b"), tiny_claude("c")]
    items = await prepare_for_team([attachment], team, cache=cache)
    refs = [items[agent.id][0]["ref"] for agent in team]
    assert cache.fits_made == 1
    assert refs[0] is refs[1] is refs[2]
    assert refs[0].base64() is refs[1].base64()
    limit = team[0].limits.limit(MediaType.IMAGE)
    assert refs[0].item.size_bytes <= limit.max_bytes < attachment.item.size_bytes
    assert refs[0].item.width / refs[0].item.height == pytest.approx(600 / 400, rel=0.02)


async def test_different_limits_fit_separately_and_as_is_shares_the_original(noisy_png):
    attachment = load_attachment(noisy_png)
    cache = PrepareCache()
    team = [tiny_claude(), AgentSpec.of("smaller", "claude", {"max_bytes": {"image": "100KB"}}),
            AgentSpec.of("g1", "gemini"), AgentSpec.of("g2", "gemini")]
    items = await prepare_for_team([attachment], team, cache=cache)
    assert cache.fits_made == 2
    assert items["tiny"][0]["ref"].item.size_bytes > items["smaller"][0]["ref"].item.size_bytes
    assert items["g1"][0]["ref"] is items["g2"][0]["ref"] and items["g1"][0]["ref"].item.path == str(noisy_png)


async def test_fitting_runs_off_the_event_loop(tmp_path):
    """While a large image is fitted the loop keeps ticking (it would not tick once if Pillow ran on it)."""
    path = save(tmp_path / "big.png", noise_image((2400, 1800)))
    attachment = load_attachment(path)
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0.005)

    task = asyncio.create_task(ticker())
    started = time.perf_counter()
    items = await prepare_for_agent([attachment], tiny_claude().limits, cache=PrepareCache())
    elapsed = time.perf_counter() - started
    done.set()
    await task
    assert items[0]["type"] == "image"
    assert ticks >= max(3, int(elapsed / 0.005 * 0.2)), f"{ticks} ticks in {elapsed:.2f} s"


async def test_prefit_makes_the_plan_show_real_sizes(noisy_png):
    attachment = load_attachment(noisy_png)
    cache = PrepareCache()
    agent = tiny_claude()
    before = plan_attachments([attachment], [agent], cache)["tiny"][0]
    assert before.line == "tiny: re-encoded to fit, max 200 KB"
    assert await prefit([attachment], [agent], cache=cache) == 1
    after = plan_attachments([attachment], [agent], cache)["tiny"][0]
    fitted = cache.peek_fitted(attachment, agent.limits.limit(MediaType.IMAGE))
    assert after.line == f"tiny: fitted to {fitted.item.width}x{fitted.item.height}, {human_size(fitted.item.size_bytes)}"
    await prepare_for_agent([attachment], agent.limits, cache=cache)
    assert cache.fits_made == 1


async def test_an_image_that_cannot_be_fitted_is_noted_and_shown_left_out(noisy_png):
    attachment = load_attachment(noisy_png)
    cache = PrepareCache()
    agent = AgentSpec.of("strict", "claude", {"max_bytes": {"image": 60}})
    await prefit([attachment], [agent], cache=cache)
    decision = plan_attachments([attachment], [agent], cache)["strict"][0]
    assert decision.action == "left_out" and "cannot be made smaller than 60 bytes" in decision.line
    (item,) = await prepare_for_agent([attachment], agent.limits, cache=cache)
    assert item["type"] == "text" and "cannot be made smaller than 60 bytes" in item["text"]


async def test_a_file_changed_after_attaching_is_noted_not_sent(tmp_path, wide_png):
    attachment = load_attachment(wide_png)
    wide_png.write_bytes(wide_png.read_bytes() + b"more")
    (item,) = await prepare_for_agent([attachment], limits_for("claude"), cache=PrepareCache())
    assert item == {"type": "text", "text": f"[Attached file wide.png ({attachment.item.label}, "
                                            f"{human_size(attachment.item.size_bytes)}) left out: "
                                            "changed after it was attached; remove it and attach it again]"}


async def test_a_pdf_without_text_is_noted_for_agents_that_need_its_text(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(pdf_bytes(2))
    attachment = load_attachment(tmp_path / "scan.pdf")
    (claude,) = await prepare_for_agent([attachment], limits_for("claude"), cache=PrepareCache())
    (grok,) = await prepare_for_agent([attachment], limits_for("grok"), cache=PrepareCache())
    assert claude["type"] == "document"
    assert grok["type"] == "text" and "has no text layer (a scanned PDF?)" in grok["text"]


async def test_text_files_are_sent_as_their_text_whatever_the_encoding(tmp_path):
    (tmp_path / "utf16.txt").write_bytes("naïve café\n".encode("utf-16"))
    (tmp_path / "data.json").write_text('{"answer": 42}')
    attachments = [load_attachment(tmp_path / n) for n in ("utf16.txt", "data.json")]
    items = await prepare_for_agent(attachments, limits_for("gemini"), cache=PrepareCache())
    assert "naïve café" in items[0]["text"] and items[0]["text"].startswith("[Attached file utf16.txt")
    assert '{"answer": 42}' in items[1]["text"]


async def test_a_file_too_big_to_inline_goes_by_upload_as_a_ref(tmp_path):
    path = tmp_path / "clip.mp4"
    write_sparse_mp4(path, 40 * 1024 * 1024)
    attachment = load_attachment(path)
    decision = plan_attachments([attachment], [AgentSpec.of("gem", "gemini")])["gem"][0]
    assert decision.action == "upload" and decision.line == "gem: uploaded through the file API (40 MB)"
    (item,) = await prepare_for_agent([attachment], limits_for("gemini"), cache=PrepareCache())
    assert item["type"] == "video" and item["ref"].item.path == str(path) and item["ref"].item.size_bytes == 40 * 1024 * 1024


async def test_bad_attachments_become_notes_for_every_agent(tmp_path):
    attachment = load_attachment(tmp_path / "gone.png")
    for backend in ("claude", "gemini", "openai"):
        (item,) = await prepare_for_agent([attachment], limits_for(backend), cache=PrepareCache())
        assert item == {"type": "text", "text": "[Attached file gone.png (unreadable) left out: "
                                                "file not found; check the path, or drop the file onto the terminal]"}


def test_cache_is_bounded_by_bytes(noisy_png, tmp_path):
    small = PrepareCache(max_bytes=1)
    attachment = load_attachment(noisy_png)
    limit = tiny_claude().limits.limit(MediaType.IMAGE)
    first = small.fitted(attachment, limit)
    assert small.peek_fitted(attachment, limit) is None  # too big to keep
    assert small.fitted(attachment, limit) is not first and small.fits_made == 2
    assert os.path.exists(noisy_png)

"""Audio for a backend that takes none: a transcript through OpenAI speech-to-text (real SDK, fake server)
when OPENAI_API_KEY is set, made once per file off the event loop; else a note saying how to get one."""

from __future__ import annotations

import asyncio

from fake_providers import FAKE_KEY, Reply
from formatter_samples import wav_bytes
from massgen.attachments import AgentSpec, PrepareCache, load_attachments, plan_attachments, prepare_for_team

AGENTS = [AgentSpec.of("claude", "claude"), AgentSpec.of("gpt", "openai")]


async def memo(tmp_path):
    path = tmp_path / "memo.wav"
    path.write_bytes(wav_bytes())
    return await load_attachments([path])


def openai_on(monkeypatch, fake_server) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_server.openai_base_url)


async def test_without_a_key_the_note_says_how_to_get_a_transcript(tmp_path):
    attachments, cache = await memo(tmp_path), PrepareCache()
    decision = plan_attachments(attachments, AGENTS, cache)["claude"][0]
    assert decision.line == "claude: left out: claude does not take audio; set OPENAI_API_KEY for a transcript"
    items = await prepare_for_team(attachments, AGENTS, cache=cache)
    assert items["claude"][0]["text"].endswith(f"left out: {decision.reason}]")


async def test_one_transcript_for_every_agent_made_off_the_event_loop(fake_server, monkeypatch, tmp_path):
    openai_on(monkeypatch, fake_server)
    fake_server.script("openai.audio.transcriptions", [Reply(text="Buy lemons and flour.", stall=0.3)])
    attachments, cache = await memo(tmp_path), PrepareCache()
    plan = plan_attachments(attachments, AGENTS, cache)
    assert [plan[a.id][0].line for a in AGENTS] == ["claude: sent as a transcript", "gpt: sent as a transcript"]
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    beat = asyncio.create_task(ticker())
    items = await prepare_for_team(attachments, AGENTS, cache=cache)
    beat.cancel()
    assert ticks >= 15  # the loop kept running through the 0.3 s the provider took
    assert len(fake_server.calls("openai.audio.transcriptions")) == 1
    for agent in AGENTS:
        text = items[agent.id][0]["text"]
        assert text.startswith("[Attached file memo.wav (") and "sent as a transcript:]\nBuy lemons and flour." in text


async def test_a_failed_transcription_is_a_note_and_the_bar_then_says_so(fake_server, monkeypatch, tmp_path):
    openai_on(monkeypatch, fake_server)
    fake_server.fail("openai.audio.transcriptions", 400)
    attachments, cache = await memo(tmp_path), PrepareCache()
    items = await prepare_for_team(attachments, AGENTS, cache=cache)
    note = items["claude"][0]["text"]
    assert "left out: could not be transcribed (openai: 400 " in note and "\n" not in note
    after = plan_attachments(attachments, AGENTS, cache)["claude"][0]
    assert after.action == "left_out" and note.endswith(f"left out: {after.reason}]")
    assert len(fake_server.calls("openai.audio.transcriptions")) == 1  # the failure is kept, not asked again per agent

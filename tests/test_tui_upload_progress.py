"""A Gemini Files API upload as the user sees it: the chunks the real GeminiBackend emits while google-genai
uploads a 9 MB file to the fake server move a progress bar in the agent's panel, and the last one closes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backend_helpers import FAST, user
from fake_providers import FAKE_KEY
from formatter_samples import mp4_bytes
from massgen.backend import GeminiBackend
from massgen.stream_chunk import ChunkType
from tui_fakes import ScriptedOrchestrator, scripted_app, team_ready, wait_until
from widgets.media_progress import MediaProgress


async def upload_chunks(server: Any, folder: Path, agent: str) -> list[Any]:
    """ATTACHMENT / ATTACHMENT_COMPLETE chunks of one real upload, as the orchestrator forwards them (source = agent)."""
    video = folder / "long.mp4"
    video.write_bytes(mp4_bytes() + bytes(9 * 1024 * 1024))
    backend = GeminiBackend(model="gemini-2.5-flash", api_key=FAKE_KEY, base_url=server.gemini_base_url,
                            inline_max_bytes=1000, **FAST)
    try:
        chunks = [c async for c in backend.stream_with_tools(user("what happens?", {"type": "video", "path": str(video)}))]
    finally:
        await backend.aclose()
    out = [c for c in chunks if c.type in (ChunkType.ATTACHMENT, ChunkType.ATTACHMENT_COMPLETE)]
    for chunk in out:
        chunk.source = agent
    return out


def bars(app: Any, agent: str) -> list[MediaProgress]:
    return list(app.main.panel_for(agent).query(MediaProgress))


async def test_upload_progress_moves_a_bar_that_the_last_chunk_closes(fake_server, tmp_path: Path) -> None:
    chunks = await upload_chunks(fake_server, tmp_path, "artist")
    assert [c.type for c in chunks] == [ChunkType.ATTACHMENT] * 3 + [ChunkType.ATTACHMENT_COMPLETE]
    middle = chunks[1].get_progress()
    assert 80 < middle < 100  # 8 MB of the 9 MB confirmed after google-genai's first upload request
    orch = ScriptedOrchestrator(scripts=[chunks[:2] + ["hold"], chunks])
    app = scripted_app(orch, prompt="watch this", output_dir=tmp_path / "out")
    async with app.run_test(size=(140, 40)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: orch.holding and bars(app, "artist"))
        [bar] = bars(app, "artist")
        await wait_until(pilot, lambda: bar.percent == middle)  # the panel moves it on its next paint
        assert bar.text == "uploading long.mp4"
        app.cancel_run()
        await wait_until(pilot, lambda: not app.running)
        assert bar.text == "upload not finished: cancelled"  # a cancelled upload does not hang at 89 %

        assert app.start_run("again")
        await wait_until(pilot, lambda: not app.running and len(bars(app, "artist")) == 2)
        done = bars(app, "artist")[1]
        assert done.percent == 100.0 and done.text == "uploaded long.mp4"

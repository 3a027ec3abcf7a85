"""Synthetic chunk streams and a scripted orchestrator for UI tests: deterministic, no timers unless asked."""

from __future__ import annotations

import asyncio
import base64
import io
from pathlib import Path
from typing import Any, AsyncIterator, Iterable, Sequence

import pytest
from PIL import Image, ImageDraw

from massgen.stream_chunk import (
    BaseStreamChunk,
    ChunkType,
    MediaMetadata,
    MultimodalStreamChunk,
    TextStreamChunk,
)
from tui.app import AppOptions, MassGenApp
from tui.team_loader import LoadedTeam

# what every app test file marks its tests with: Pillow's deprecation inside textual-image is not ours,
# and images are drawn with half-cell blocks (tests/conftest.py `halfcell`), the same in every terminal
UI_TEST_MARKS = [pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning"),
                 pytest.mark.usefixtures("halfcell")]

AGENTS = [("planner", "demo", "offline-demo"), ("artist", "demo", "offline-demo"), ("critic", "demo", "offline-demo")]
FIXED_TIME = 1_700_000_000.0


def png_bytes(width: int = 96, height: int = 64, seed: int = 0) -> bytes:
    """A small deterministic picture: four colour blocks and a diagonal, so half-cell output is recognisable."""
    image = Image.new("RGB", (width, height), (30, 60, 160))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width // 2, height // 2], fill=(220, 60 + seed * 40 % 190, 40))
    draw.rectangle([width // 2, height // 2, width, height], fill=(240, 200, 40))
    draw.line([0, height - 1, width - 1, 0], fill=(250, 250, 250), width=3)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def text(agent: str, content: str) -> TextStreamChunk:
    return TextStreamChunk(type=ChunkType.CONTENT, source=agent, content=content, timestamp=FIXED_TIME)


def status(agent: str, word: str, detail: str | None = None) -> TextStreamChunk:
    return TextStreamChunk(type=ChunkType.AGENT_STATUS, source=agent, status=word, content=detail, timestamp=FIXED_TIME)


def tool_calls(agent: str, *calls: dict[str, Any]) -> TextStreamChunk:
    return TextStreamChunk(type=ChunkType.TOOL_CALLS, source=agent, tool_calls=list(calls), timestamp=FIXED_TIME)


def error(agent: str, message: str) -> TextStreamChunk:
    return TextStreamChunk(type=ChunkType.ERROR, source=agent, error=message, timestamp=FIXED_TIME)


def progress(agent: str, media_id: str, percent: float, partial: bytes | None = None) -> MultimodalStreamChunk:
    return MultimodalStreamChunk(
        type=ChunkType.MEDIA_PROGRESS, source=agent, media_type="image", media_id=media_id,
        progress_percentage=percent, text_content="drawing the poster", timestamp=FIXED_TIME,
        media_encoding="base64" if partial else None,
        media_data=base64.b64encode(partial).decode() if partial else None, is_partial=partial is not None)


def image(agent: str, media_id: str, path: Path | None = None, data: bytes | None = None,
          prompt: str = "a poster") -> MultimodalStreamChunk:
    """A MEDIA chunk: a file path (as the session writes them) or inline base64."""
    raw = data if data is not None else path.read_bytes()  # type: ignore[union-attr]
    with Image.open(io.BytesIO(raw)) as im:
        width, height = im.size
    meta = MediaMetadata(mime_type="image/png", size_bytes=len(raw), width=width, height=height,
                         filename=path.name if path else f"{media_id}.png", generator="demo", prompt=prompt)
    if path is not None:
        return MultimodalStreamChunk(type=ChunkType.MEDIA, source=agent, media_type="image", media_encoding="file_path",
                                     media_data=str(path), media_metadata=meta, media_id=media_id, timestamp=FIXED_TIME)
    return MultimodalStreamChunk(type=ChunkType.MEDIA, source=agent, media_type="image", media_encoding="base64",
                                 media_data=base64.b64encode(raw).decode(), media_metadata=meta, media_id=media_id,
                                 timestamp=FIXED_TIME)


def complete(winner: str | None, answer: str, votes: dict[str, dict[str, str]] | None = None,
             media: Sequence[dict[str, Any]] = (), status_word: str = "done", detail: str = "") -> TextStreamChunk:
    response = {"task": "t", "status": status_word, "detail": detail, "winner": winner, "final_answer": answer,
                "votes": votes or {}, "media": list(media)}
    return TextStreamChunk(type=ChunkType.COMPLETE_RESPONSE, source="orchestrator", response=response,
                           timestamp=FIXED_TIME)


def words(agent: str, markdown: str) -> list[TextStreamChunk]:
    """A Markdown text as one CONTENT chunk per word (the way models stream)."""
    pieces = markdown.split(" ")
    return [text(agent, piece + (" " if i < len(pieces) - 1 else "")) for i, piece in enumerate(pieces)]


class ScriptedOrchestrator:
    """Plays a script: chunks, `float` pauses, and `"hold"` (wait until cancel()). Records each task."""

    def __init__(self, script: Iterable[Any] | None = None, scripts: list[list[Any]] | None = None) -> None:
        self.scripts = scripts if scripts is not None else [list(script or [])]
        self.tasks: list[str] = []
        self.attachments: list[list[Any]] = []  # what each run was given, as passed
        self.cancelled = asyncio.Event()
        self.result: Any = None
        self.session = None
        self.holding = False  # the script reached "hold": everything before it was streamed

    def run(self, task: str, attachments: Sequence[Any] = ()) -> AsyncIterator[BaseStreamChunk]:
        self.tasks.append(task)
        self.attachments.append(list(attachments))
        script = self.scripts[min(len(self.tasks), len(self.scripts)) - 1]
        return self._play(script)

    async def _play(self, script: list[Any]) -> AsyncIterator[BaseStreamChunk]:
        self.cancelled.clear()
        for item in script:
            if self.cancelled.is_set():
                break
            if item == "hold":
                self.holding = True
                await self.cancelled.wait()
            elif isinstance(item, (int, float)):
                await asyncio.sleep(item)
            else:
                if isinstance(item, TextStreamChunk) and item.type == ChunkType.COMPLETE_RESPONSE:
                    self.result = item.response
                yield item
        if self.cancelled.is_set():
            for agent, _, _ in AGENTS:
                yield status(agent, "cancelled", "cancelled")
            self.result = {"status": "cancelled", "detail": "cancelled by the user", "final_answer": ""}

    def cancel(self) -> None:
        self.cancelled.set()

    async def aclose(self) -> None:
        """Nothing to close: no connections, no session of its own."""


def scripted_app(orchestrator: ScriptedOrchestrator, agents: list[tuple[str, str, str]] | None = None,
                 image_mode: str = "inline", prompt: str | None = None, notice: str = "",
                 output_dir: Path | None = None, save_outputs: bool = False) -> MassGenApp:
    """The real app with a scripted team instead of the orchestrator."""
    team = LoadedTeam(config=None, agents=agents or AGENTS, image_mode=image_mode, save_outputs=save_outputs,
                      notice=notice)
    options = AppOptions(prompt=prompt, team=team, output_dir=output_dir,
                         orchestrator_factory=lambda config, session: orchestrator)
    return MassGenApp(options)


async def wait_until(pilot: Any, predicate: Any, timeout: float = 10.0) -> None:
    """Poll (pausing the pilot) until `predicate()` is true; fail with a clear message after `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s: {getattr(predicate, '__doc__', predicate)}")
        await pilot.pause(0.02)


PLAN_MD = ("## Plan\n\nA poster for a **night market by the sea**:\n\n1. Sketch the layout\n"
           "2. Pick a warm palette\n3. Draw it and review\n")
ART_MD = "I will draw the poster with the image tool, then describe it."
CRITIC_MD = "Reviewing both answers: the plan is clear, and the poster matches it."


def full_run(image_path: Path) -> list[Any]:
    """A whole run in the orchestrator's vocabulary: statuses, text, a tool call, progress, an image, votes."""
    return [
        *(status(a, "working", "turn 1") for a, _, _ in AGENTS),
        *words("planner", PLAN_MD),
        *words("artist", ART_MD),
        tool_calls("artist", {"id": "c1", "name": "generate_image",
                              "arguments": {"prompt": "a night market by the sea", "size": "512x512"}}),
        progress("artist", "img-1", 25.0),
        progress("artist", "img-1", 60.0),
        image("artist", "img-1", path=image_path, prompt="a night market by the sea"),
        tool_calls("planner", {"id": "c2", "name": "new_answer", "arguments": {"content": "The plan above."}}),
        status("planner", "answered", "agent1.1"),
        tool_calls("artist", {"id": "c3", "name": "new_answer", "arguments": {"content": "The poster."}}),
        status("artist", "answered", "agent2.1"),
        *words("critic", CRITIC_MD),
        tool_calls("critic", {"id": "c4", "name": "vote", "arguments": {"agent_id": "agent2.1",
                                                                         "reason": "the poster follows the plan"}}),
        status("critic", "voted", "for artist"),
        status("planner", "voted", "for artist"),
        status("artist", "winner", "2 votes"),
        status("artist", "presenting"),
        *words("artist", "Here is the final poster and how it was made."),
        *(status(a, "done") for a, _, _ in AGENTS),
        complete("artist", "## The poster\n\nA night market by the sea, in warm colours.\n\n- Lanterns\n- Waves\n",
                 votes={"critic": {"target": "artist", "reason": "the poster follows the plan"},
                        "planner": {"target": "artist", "reason": "best visual"}},
                 media=[{"path": str(image_path), "media_id": "img-1", "media_type": "image"}]),
    ]


async def team_ready(pilot: Any, app: MassGenApp) -> None:
    """Wait until the panels are mounted and the (scripted) orchestrator is built."""
    await wait_until(pilot, lambda: app.orchestrator is not None and bool(app.main.panels))


def final_shown(app: MassGenApp) -> bool:
    """The final-answer screen is up and composed."""
    from tui.screens.final import FinalScreen
    from widgets.final_answer import FinalAnswer

    return isinstance(app.screen, FinalScreen) and bool(app.screen.query(FinalAnswer))


async def type_prompt(pilot: Any, text: str) -> None:
    """Type into the prompt of the current screen (once it has focus) and press Enter."""
    from widgets.prompt_input import PromptInput

    await wait_until(pilot, lambda: isinstance(pilot.app.focused, PromptInput))
    await pilot.press(*text, "enter")

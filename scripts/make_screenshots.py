"""Regenerate screenshots/*.svg from the real app on the offline demo team (and PNGs when chromium is installed).

    python scripts/make_screenshots.py            # SVGs, plus PNGs if `chromium` is on PATH

Each picture is the real MassGenApp, run headless at a fixed size with the real orchestrator and the
demo team streaming without delays; images are drawn with the half-cell renderer (colour, any terminal).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Awaitable, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MASSGEN_TUI_IMAGE_RENDERER"] = "halfcell"

from textual.widgets import Input  # noqa: E402

from tui.app import MassGenApp  # noqa: E402
from tui.demo_team import demo_factory, demo_options  # noqa: E402

TASK = "design a poster for a night market by the sea"
SIZE = (160, 48)
Step = Callable[[MassGenApp, Any], Awaitable[None]]


async def until(pilot: Any, predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("the app did not reach the state to photograph")
        await pilot.pause(0.05)


def final_shown(app: MassGenApp) -> bool:
    from tui.screens.final import FinalScreen
    from widgets.final_answer import FinalAnswer

    return isinstance(app.screen, FinalScreen) and bool(app.screen.query(FinalAnswer))


async def pictures_ready(app: MassGenApp, pilot: Any) -> None:
    """Every picture on screen decoded; no blinking cursor; the last text batch landed."""
    from widgets.media_view import MediaView

    await until(pilot, lambda: all(v.picture is not None or v.error for v in app.screen.query(MediaView)))
    for field in app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause(0.5)


async def streaming(app: MassGenApp, pilot: Any) -> None:
    await until(pilot, lambda: app.running and sum(p.text_chunks for p in app.main.panels) > 60)


async def with_image(app: MassGenApp, pilot: Any) -> None:
    from widgets.media_view import MediaView

    await until(pilot, lambda: bool(app.main.query(MediaView)))
    app.cancel_run()
    await until(pilot, lambda: not app.running)


async def final_answer(app: MassGenApp, pilot: Any) -> None:
    await until(pilot, lambda: final_shown(app))


async def maximised(app: MassGenApp, pilot: Any) -> None:
    await final_answer(app, pilot)
    await pilot.press("escape")
    await until(pilot, lambda: app.screen is app.main)
    app.main.toggle_maximise("artist")


async def viewer(app: MassGenApp, pilot: Any) -> None:
    await final_answer(app, pilot)
    app.open_viewer(None)
    await until(pilot, lambda: getattr(app.screen, "image", None) is not None)


_SCRATCH: list[tempfile.TemporaryDirectory] = []  # removed when the script ends


def scratch_folder(prefix: str) -> Path:
    folder = tempfile.TemporaryDirectory(prefix=prefix)
    _SCRATCH.append(folder)
    return Path(folder.name)


MIXED_TEAM = """
agents:
  - id: claude
    backend: {type: claude, model: claude-sonnet-4-5}
  - id: openai
    backend: {type: openai, model: gpt-5.4-mini}
  - id: demo
    backend: {type: demo}
"""


def attachment_files(folder: Path) -> list[Path]:
    """A large photo-like PNG (over Claude's 5 MB), a wide diagram, and a voice memo, made here."""
    import io
    import math
    import random
    import wave

    from PIL import Image, ImageDraw

    photo = folder / "harbour photo.png"
    size = (2000, 1400)
    rng = random.Random(7)
    red = Image.linear_gradient("L").resize(size)
    green, blue = (Image.frombytes("L", size, rng.randbytes(size[0] * size[1])) for _ in range(2))
    Image.merge("RGB", (red, green, blue)).save(photo, compress_level=1)
    diagram = folder / "stall layout.png"
    wide = Image.new("RGB", (3200, 1400), (245, 240, 230))
    ImageDraw.Draw(wide).rectangle([200, 200, 3000, 1200], outline=(30, 60, 160), width=24)
    wide.save(diagram)
    memo = folder / "voice memo.wav"
    frames = b"".join(int(8000 * math.sin(i / 9)).to_bytes(2, "little", signed=True) for i in range(16000))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(16000), out.writeframes(frames)
    memo.write_bytes(buffer.getvalue())
    return [photo, diagram, memo]


async def attachments(app: MassGenApp, pilot: Any) -> None:
    """Three files dropped on a claude + openai + demo team: what each agent will receive."""
    from textual import events

    from widgets.attachment_bar import AttachmentBar

    await until(pilot, lambda: app.orchestrator is not None)
    files = attachment_files(scratch_folder("shots-files-"))
    app.post_message(events.Paste(" ".join(f"'{path}'" for path in files) + " "))
    bar = app.main.query_one(AttachmentBar)

    def fitted() -> bool:
        decisions = [d for chip in bar.chips for d in chip.decisions]
        return len(bar.chips) == len(files) and all(d.fitted for d in decisions if d.action == "fit")

    await until(pilot, fitted)


def mixed_team_options(options: Any) -> Any:
    """The same app on a claude + openai + demo team (its backends are the demo: nothing is sent anywhere)."""
    from tui.team_loader import read_team

    config = scratch_folder("shots-team-") / "team.yaml"
    config.write_text(MIXED_TEAM, encoding="utf-8")
    os.environ.setdefault("ANTHROPIC_API_KEY", "sk-ant-not-used")
    os.environ.setdefault("OPENAI_API_KEY", "sk-not-used")
    options.team = read_team(config)
    options.prompt = None
    return options


async def help_screen(app: MassGenApp, pilot: Any) -> None:
    await until(pilot, lambda: app.orchestrator is not None)
    await pilot.press("f1")
    await pilot.pause(0.3)


SHOTS: list[tuple[str, Step, float, tuple[int, int], str | None]] = [
    ("streaming", streaming, 40.0, SIZE, None),
    ("image", with_image, 40.0, SIZE, None),
    ("final_answer", final_answer, 0.0, SIZE, None),
    ("maximised", maximised, 0.0, SIZE, None),
    ("viewer", viewer, 0.0, SIZE, None),
    ("narrow", streaming, 40.0, (80, 40), None),
    ("light_theme", final_answer, 0.0, SIZE, "textual-light"),
    ("help", help_screen, 0.0, SIZE, None),
    ("attachments", attachments, 0.0, SIZE, None),
]


async def shoot(name: str, step: Step, rate: float, size: tuple[int, int], theme: str | None, out: Path) -> Path:
    options = demo_options(output_dir=scratch_folder("shots-"), prompt=None if name == "help" else TASK)
    options.orchestrator_factory = demo_factory(rate)
    options.theme = theme
    if name == "attachments":
        options = mixed_team_options(options)
    app = MassGenApp(options)
    async with app.run_test(size=size) as pilot:
        await step(app, pilot)
        await pictures_ready(app, pilot)
        svg = app.export_screenshot(title=f"massgen-tui · {name.replace('_', ' ')}")
        app.workers.cancel_all()
    path = out / f"{name}.svg"
    path.write_text(svg, encoding="utf-8")
    return path


def to_png(svg: Path, size: tuple[int, int]) -> Path | None:
    """A PNG of the SVG through headless chromium, if it is installed."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return None
    png = svg.with_suffix(".png")
    width, height = size[0] * 10 + 40, size[1] * 21 + 80
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={png}", f"--window-size={width},{height}", svg.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    return png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--only", nargs="*", help="names of the shots to make (default: all)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, step, rate, size, theme in SHOTS:
        if args.only and name not in args.only:
            continue
        svg = asyncio.run(shoot(name, step, rate, size, theme, args.out))
        png = to_png(svg, size)
        print(svg.relative_to(ROOT) if svg.is_relative_to(ROOT) else svg, "+ png" if png else "")


if __name__ == "__main__":
    main()

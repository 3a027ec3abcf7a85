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
]


async def shoot(name: str, step: Step, rate: float, size: tuple[int, int], theme: str | None, out: Path) -> Path:
    options = demo_options(output_dir=Path(tempfile.mkdtemp(prefix="shots-")), prompt=None if name == "help" else TASK)
    options.orchestrator_factory = demo_factory(rate)
    options.theme = theme
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

"""Speed and memory of the massgen-tui app. Prints figures (no pass/fail); run: python benchmarks/bench_tui.py

1. Streaming: chunks per second through the real app (router, panel queues, paced Markdown appends,
   Textual's layout and paint in the headless driver) with 8 agents streaming as fast as possible, and
   event-loop lag p50/p99/max meanwhile, sampled by a task on the app's loop; both for the real
   orchestrator with 8 offline demo agents (no delays; its rate without any UI is printed too) and for
   a synthetic 8-agent word stream. A run counts as over when every chunk is on screen. The full garbage
   collection deferred from a run to the idle moment after it is measured and printed as well.
   For the demo, the main screen's frames too: layout and paint times, and widgets laid out per layout.
2. Media: time from a MEDIA chunk carrying a 4096x4096 PNG to its picture on screen (decoded in a thread).
3. First frame of `massgen-tui` against a minimal Textual app, both in the same pseudo-terminal.
4. Memory: idle (team loaded, nothing running) and peak (after an 8-agent run), from /proc.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, AsyncIterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("MASSGEN_TUI_IMAGE_RENDERER", "halfcell")  # headless runs: a renderer that draws cells

from massgen.stream_chunk import ChunkType, MediaMetadata, MultimodalStreamChunk, TextStreamChunk  # noqa: E402
from tui.app import AppOptions, MassGenApp  # noqa: E402
from tui.demo_team import demo_options, demo_team  # noqa: E402

SIZE = (200, 50)
DEMO_TASKS = ["design a poster for a night market by the sea", "make it darker", "add a lighthouse"]
WORDS = ("The team streams Markdown with **bold** words, `code`, lists and headings so that the "
         "renderer has real work to do while many agents write at the same time. ").split(" ")


class LagMonitor:
    """Measures how late a 5 ms sleep wakes up: the event loop's responsiveness while work goes on."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(self.interval)
            self.lags.append(max(0.0, loop.time() - start - self.interval))

    def __enter__(self) -> "LagMonitor":
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()

    def summary(self) -> str:
        if not self.lags:
            return "no samples"
        ordered = sorted(self.lags)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return (f"lag p50 {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
                f"max {ordered[-1] * 1000:.1f} ms ({len(ordered)} samples)")


class FrameMonitor:
    """Times the main screen's layouts (Textual's reflow) and paints, and counts the widgets each layout
    placed: what one frame costs, and for how many widgets (timing wrappers on this screen object only)."""

    def __init__(self, screen: Any) -> None:
        self.screen, self.layouts, self.paints, self.widgets = screen, [], [], []

    def _timed(self, name: str, into: list[float], count: bool = False) -> None:
        original = getattr(self.screen, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start, painted = time.perf_counter(), sum(self.paints)
            try:
                return original(*args, **kwargs)
            finally:  # a layout paints at once when no batch is open: that part is counted as paint
                into.append(time.perf_counter() - start - (sum(self.paints) - painted if count else 0.0))
                if count:
                    self.widgets.append(len(self.screen._compositor.widgets))

        setattr(self.screen, name, timed)

    def __enter__(self) -> "FrameMonitor":
        self._timed("_refresh_layout", self.layouts, count=True)
        self._timed("_compositor_refresh", self.paints)
        return self

    def __exit__(self, *exc: object) -> None:
        for name in ("_refresh_layout", "_compositor_refresh"):
            vars(self.screen).pop(name, None)

    def summary(self) -> str:
        def ms(values: list[float]) -> str:
            ordered = sorted(values)
            p90 = ordered[int(len(ordered) * 0.9)] if ordered else 0.0
            return f"mean {statistics.mean(ordered or [0]) * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms"

        widgets = statistics.mean(self.widgets) if self.widgets else 0
        return (f"frames: {len(self.layouts)} layouts ({ms(self.layouts)}; {widgets:.0f} widgets laid out on "
                f"average), {len(self.paints)} paints ({ms(self.paints)})")


class SyntheticTeam:
    """An orchestrator stand-in: `agents` agents stream `words` word-sized chunks each, round-robin, no pauses."""

    def __init__(self, agents: list[str], words: int, rate: float = 0.0) -> None:
        self.agents, self.words, self.rate, self.result = agents, words, rate, None

    def run(self, task: str, attachments: Any = ()) -> AsyncIterator[Any]:
        return self._stream()

    async def _stream(self) -> AsyncIterator[Any]:
        for agent in self.agents:
            yield TextStreamChunk(type=ChunkType.AGENT_STATUS, source=agent, status="streaming")
        loop = asyncio.get_running_loop()
        start = loop.time()
        for n in range(self.words):
            word = WORDS[n % len(WORDS)] + ("\n\n" if n % 40 == 39 else " ")
            for agent in self.agents:
                yield TextStreamChunk(type=ChunkType.CONTENT, source=agent, content=word)
            if self.rate:  # paced: as a provider would send them, `rate` chunks a second in all
                ahead = start + (n + 1) * len(self.agents) / self.rate - loop.time()
                if ahead > 0:
                    await asyncio.sleep(ahead)
        for agent in self.agents:
            yield TextStreamChunk(type=ChunkType.AGENT_STATUS, source=agent, status="done")
        self.result = {"status": "done", "winner": self.agents[0], "final_answer": "done", "votes": {}}
        yield TextStreamChunk(type=ChunkType.COMPLETE_RESPONSE, source="orchestrator", response=self.result)

    def cancel(self) -> None:
        pass

    async def aclose(self) -> None:
        pass


class Turns:
    """What `_run_turns` measured: chunks routed, seconds, lag, and per turn the seconds from the last
    chunk streamed to all text on screen (the run's end waits for that)."""

    def __init__(self, chunks: int, seconds: float, lag: LagMonitor, catch_up: list[float]) -> None:
        self.chunks, self.seconds, self.lag, self.catch_up = chunks, seconds, lag, catch_up

    def summary(self) -> str:
        worst = max(self.catch_up, default=0.0)
        mean = statistics.mean(self.catch_up) if self.catch_up else 0.0
        return (f"{self.chunks} chunks in {self.seconds:.2f} s = {self.chunks / self.seconds:,.0f} chunks/s; "
                f"{self.lag.summary()}; last chunk streamed -> all text on screen: mean {mean * 1000:.0f} ms, "
                f"max {worst * 1000:.0f} ms per turn")


async def _run_turns(app: MassGenApp, pilot: Any, tasks: list[str]) -> Turns:
    """Start each task, wait for its end (its final answer shown, then closed)."""
    while app.orchestrator is None:
        await pilot.pause(0.01)
    chunks, catch_up = 0, []
    with LagMonitor() as lag:
        start = time.perf_counter()
        for task in tasks:
            finals = len(app.finals)
            app.start_run(task)
            run = app.run_
            while app.run_ is not None:
                await asyncio.sleep(0.01)
            chunks += run.router.routed  # type: ignore[union-attr]
            catch_up.append(run.text_shown_at - run.stream_ended_at)  # type: ignore[union-attr]
            deadline = time.perf_counter() + 10
            while len(app.finals) > finals and len(app.screen_stack) == 1 and time.perf_counter() < deadline:
                await asyncio.sleep(0.01)  # the answer's screen comes once the session is saved
            app.pop_screen() if len(app.screen_stack) > 1 else None
        seconds = time.perf_counter() - start
    return Turns(chunks, seconds, lag, catch_up)


async def _idle_lag(seconds: float = 1.6) -> str:
    """Lag while nothing streams, just after a run: where the deferred full garbage collection lands."""
    with LagMonitor() as lag:
        await asyncio.sleep(seconds)
    worst = max(lag.lags, default=0.0)
    return f"then {seconds:.1f} s idle: lag max {worst * 1000:.0f} ms (the full GC deferred from the run)"


async def bench_synthetic(words: int, rate: float = 0.0) -> str:
    team = demo_team(8)
    orchestrator = SyntheticTeam([a for a, _, _ in team.agents], words, rate)
    app = MassGenApp(AppOptions(team=team, orchestrator_factory=lambda config, session: orchestrator))
    async with app.run_test(size=SIZE) as pilot:
        turns = await _run_turns(app, pilot, ["synthetic"])
        idle = await _idle_lag()
    pace = f"paced at {rate:,.0f} chunks/s" if rate else "as fast as possible"
    return f"synthetic 8-agent word stream ({pace}): {turns.summary()}; {idle}"


async def bench_demo(turns: int) -> str:
    app = MassGenApp(demo_options(agents=8, rate=0))
    async with app.run_test(size=SIZE) as pilot:
        with FrameMonitor(app.main) as frames:
            measured = await _run_turns(app, pilot, DEMO_TASKS[:turns])
        idle = await _idle_lag()
    return f"real orchestrator, 8 demo agents, {turns} turns: {measured.summary()}; {idle}; {frames.summary()}"


async def bench_core(turns: int) -> str:
    """The same orchestrator and demo team with no UI at all: the most the app could show."""
    from massgen.session import Session
    from tui.demo_team import demo_factory

    orchestrator = demo_factory(0)(demo_team(8).config, Session.create(Path.cwd() / "core-only"))
    chunks, start = 0, time.perf_counter()
    for task in DEMO_TASKS[:turns]:
        async for _ in orchestrator.run(task):
            chunks += 1
    seconds = time.perf_counter() - start
    return (f"the same orchestrator with no UI, {turns} turns: {chunks} chunks in {seconds:.2f} s = "
            f"{chunks / seconds:,.0f} chunks/s (the ceiling for the line above)")


def _big_png(path: Path) -> Path:
    from PIL import Image

    base = Image.linear_gradient("L").resize((4096, 4096))
    noise = Image.effect_noise((4096, 4096), 40)
    Image.merge("RGB", (base, noise, base.rotate(90))).save(path, "PNG")
    return path


async def bench_media(folder: Path) -> str:
    from widgets.media_view import MediaView

    png = _big_png(folder / "big.png")
    agents = [("artist", "demo", "offline-demo")]
    team = demo_team(3)
    team.agents = agents

    class Hold:
        result = None

        def run(self, task: str, attachments: Any = ()) -> AsyncIterator[Any]:
            return self._hold()

        async def _hold(self) -> AsyncIterator[Any]:
            yield TextStreamChunk(type=ChunkType.AGENT_STATUS, source="artist", status="working")
            await asyncio.sleep(3600)

        def cancel(self) -> None:
            pass

        async def aclose(self) -> None:
            pass

    app = MassGenApp(AppOptions(team=team, orchestrator_factory=lambda config, session: Hold()))
    async with app.run_test(size=SIZE) as pilot:
        while app.orchestrator is None:
            await pilot.pause(0.01)
        app.start_run("x")
        while app.run_ is None or app.main.panel_for("artist").status != "working":
            await pilot.pause(0.01)
        chunk = MultimodalStreamChunk(type=ChunkType.MEDIA, source="artist", media_type="image",
                                      media_encoding="file_path", media_data=str(png), media_id="big",
                                      media_metadata=MediaMetadata(mime_type="image/png", width=4096, height=4096))
        with LagMonitor() as lag:
            start = time.perf_counter()
            await app.run_.router.route(chunk)  # type: ignore[union-attr]
            log = app.main.panel_for("artist").log_view
            while not log.query(MediaView):  # mounted on the panel's next turn
                await asyncio.sleep(0.002)
            view = log.query_one(MediaView)
            while view.picture is None or not view.picture.region.height:
                await asyncio.sleep(0.002)
            await pilot.pause()  # one refresh: the picture is painted
            seconds = time.perf_counter() - start
        size = png.stat().st_size / 1e6
        app.workers.cancel_all()
    return (f"MEDIA chunk of a 4096x4096 PNG ({size:.0f} MB) to its picture on screen: {seconds * 1000:.0f} ms "
            f"(thumbnail {view.thumbnail.size[0]}x{view.thumbnail.size[1]}); meanwhile {lag.summary()}")


def bench_first_frame(runs: int, folder: Path) -> str:
    from tui_terminal import Terminal

    minimal = folder / "minimal_app.py"
    minimal.write_text("from textual.app import App\nfrom textual.widgets import Footer, Static\n\n"
                       "class Minimal(App):\n    def compose(self):\n        yield Static('minimal-first-frame')\n"
                       "        yield Footer()\n\nMinimal().run()\n")
    script = Path(sys.executable).with_name("massgen-tui")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]
    ours, theirs, footer = [], [], []
    env = {"MASSGEN_TUI_IMAGE_RENDERER": ""}
    for _ in range(runs):
        term = Terminal([sys.executable, str(minimal)], folder, env=env)
        theirs.append(term.wait_for("minimal-first-frame"))
        term.close()
        term = Terminal(command, folder, env=env)
        ours.append(max(term.wait_for("massgen-tui ·"), term.wait_for("sk the team")))
        footer.append(term.wait_for("Cancel"))
        term.close()
    a, b = statistics.median(ours), statistics.median(theirs)
    return (f"first frame (status bar and prompt): massgen-tui {a * 1000:.0f} ms vs minimal Textual app "
            f"{b * 1000:.0f} ms = {a / b:.2f}x (median of {runs}; the Footer follows at {statistics.median(footer) * 1000:.0f} ms)")


FAST_TEAM = "agents:\n" + "".join(
    f"  - id: {role}{n}\n    backend: {{type: demo, stream_rate: 100000}}\n    system_message: You are the {role}.\n"
    + ("    tools:\n      - {name: generate_image, type: image_generation, config: {backend: demo}}\n" if role == "artist" else "")
    for n, role in enumerate(["planner", "artist", "critic"] * 3, 1) if n <= 8)


def bench_memory(folder: Path) -> str:
    from tui_terminal import Terminal

    script = Path(sys.executable).with_name("massgen-tui")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]
    from massgen.demo.team import demo_config_path

    demo = folder / "demo.yaml"
    demo.write_text(demo_config_path().read_text(encoding="utf-8"))
    term = Terminal([*command, "--config", str(demo)], folder)
    term.wait_for("Ready")
    time.sleep(2.0)
    idle = term.memory_kb()
    term.close()
    config = folder / "eight.yaml"
    config.write_text(FAST_TEAM)
    term = Terminal([*command, "--config", str(config), "design a poster for a night market by the sea"], folder)
    term.wait_for("Final answer ·", timeout=120)
    time.sleep(0.5)
    peak = term.memory_kb()
    term.close()
    return (f"memory: idle {idle['VmRSS'] / 1024:.0f} MB RSS (demo team loaded, nothing running); "
            f"after an 8-agent run {peak['VmRSS'] / 1024:.0f} MB RSS, peak {peak['VmHWM'] / 1024:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1500, help="words per agent in the synthetic stream")
    parser.add_argument("--turns", type=int, default=3, help="demo turns (1-3)")
    parser.add_argument("--runs", type=int, default=5, help="first-frame runs of each app")
    parser.add_argument("--only", default="demo,core,synthetic,paced,media,frame,memory",
                        help="comma-separated parts to run (default: all)")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    with tempfile.TemporaryDirectory(prefix="bench-tui-") as tmp:
        folder = Path(tmp)
        os.chdir(folder)  # session folders of the runs land here and go with it
        print("targets: >= 5,000 chunks/s with p99 lag <= 50 ms; first frame <= 1.5x minimal; idle <= 150 MB")
        benches = {
            "demo": lambda: asyncio.run(bench_demo(args.turns)),
            "core": lambda: asyncio.run(bench_core(args.turns)),
            "synthetic": lambda: asyncio.run(bench_synthetic(args.words)),
            "paced": lambda: asyncio.run(bench_synthetic(args.words // 2, rate=1000)),
            "media": lambda: asyncio.run(bench_media(folder)),
            "frame": lambda: bench_first_frame(args.runs, folder),
            "memory": lambda: bench_memory(folder),
        }
        for name, bench in benches.items():
            if name in parts:
                print(bench(), flush=True)


if __name__ == "__main__":
    main()

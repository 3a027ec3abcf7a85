"""Attachment benchmark: prints figures (no pass/fail).

1. Drop a 1 GB sparse video on the terminal: parse the paste, probe the file (headers only) and plan
   it for a four-agent team. Time and bytes read.
2. Fit a 40-megapixel photo to Claude's limits (5 MB per image) through prepare_for_agent: time for
   the first agent (decode, resize, encode in a thread), for two more Claude agents (shared fit),
   and the result's size; plus how often the event loop ticked meanwhile.

Run: /tmp/venv/bin/python benchmarks/bench_attachments.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # media_samples: the sparse MP4 writer the tests use

from media_samples import write_sparse_mp4  # noqa: E402

from massgen.attachments import AgentSpec, PrepareCache, load_attachment, plan_attachments, prepare_for_agent, scan_paste  # noqa: E402
from massgen.media import human_size, limits_for, probe_reading  # noqa: E402

TEAM = [AgentSpec.of("claude", "claude"), AgentSpec.of("gpt", "openai"), AgentSpec.of("grok", "grok"),
        AgentSpec.of("gemini", "gemini")]


def bench_sparse_drop(folder: Path) -> None:
    path = folder / "holiday video.mp4"
    write_sparse_mp4(path, 1024**3)
    paste = "'" + str(path) + "' "  # what GNOME Terminal pastes for a drop
    started = time.perf_counter()
    (dropped,) = scan_paste(paste, folder, folder)
    attachment = load_attachment(dropped)
    plan = plan_attachments([attachment], TEAM)
    elapsed = time.perf_counter() - started
    item, bytes_read = probe_reading(path)  # what loading it read: probe again, counting
    print("1. drop a 1 GB sparse MP4 (parse + probe + plan for 4 agents)")
    print(f"   time {elapsed * 1000:.1f} ms, read {bytes_read:,} bytes of {item.size_bytes:,}")
    print(f"   chip: {attachment.summary()}")
    for decisions in plan.values():
        print(f"   {decisions[0].line}")


def make_40mp_photo(path: Path) -> tuple[int, int]:
    """A photo-like 7744x5163 JPEG: gradients plus noise, so it compresses like a real photo."""
    size = (7744, 5163)
    gradient = Image.linear_gradient("L").resize(size)
    noise = Image.effect_noise(size, 30)
    Image.merge("RGB", (gradient, noise, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT))).save(
        path, "JPEG", quality=92)
    return size


async def bench_fit_40mp(folder: Path) -> None:
    path = folder / "camera.jpg"
    width, height = make_40mp_photo(path)
    attachment = load_attachment(path)
    cache = PrepareCache()
    limits = limits_for("claude")
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0.01)

    task = asyncio.create_task(ticker())
    started = time.perf_counter()
    (item,) = await prepare_for_agent([attachment], limits, cache=cache)
    first = time.perf_counter() - started
    started = time.perf_counter()
    await asyncio.gather(*(prepare_for_agent([attachment], limits, cache=cache) for _ in range(2)))
    shared = time.perf_counter() - started
    done.set()
    await task
    ref = item["ref"]
    print(f"2. fit a {width}x{height} ({width * height / 1e6:.1f} MP, {human_size(attachment.item.size_bytes)}) JPEG "
          f"to Claude's limits ({human_size(limits.max_bytes('image'))} per image)")
    print(f"   first agent: {first:.2f} s -> {ref.item.width}x{ref.item.height}, {human_size(ref.item.size_bytes or 0)} "
          f"({ref.item.size_bytes:,} bytes); fits made: {cache.fits_made}")
    print(f"   two more Claude agents: {shared * 1000:.1f} ms (same fitted copy)")
    print(f"   event loop ticks meanwhile (every 10 ms): {ticks}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_sparse_drop(folder)
        asyncio.run(bench_fit_40mp(folder))


if __name__ == "__main__":
    main()

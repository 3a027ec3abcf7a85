"""Time (and peak extra memory) to format a 50-message conversation holding 10 images, per provider format.

Run: /tmp/venv/bin/python benchmarks/bench_formatter.py [--image-kb 500] [--repeat 20]
Figures only, no pass/fail. "cold" is a first conversion: only the first row reads and encodes the
files, later rows find the encodings in the media layer's shared cache. "warm" is the median of
later conversions. "peak MB" is the extra memory one conversion holds at its peak: the data URLs the
OpenAI formats need (the base64 text itself is shared, so Claude and Gemini add nothing).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from PIL import Image

from massgen.formatter import MessageFormatter, share_media

FORMATS = {
    "chat_completions": MessageFormatter.to_chat_completions_format,
    "responses": MessageFormatter.to_responses_format,
    "claude": MessageFormatter.to_claude_format,
    "gemini": MessageFormatter.to_gemini_request,
}


def make_images(folder: Path, count: int, kb: int) -> list[str]:
    """`count` distinct PNGs of about `kb` KB each (random pixels do not compress)."""
    side = max(8, int((kb * 1024 / 3) ** 0.5))
    paths = []
    for i in range(count):
        out = io.BytesIO()
        Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG", compress_level=1)
        path = folder / f"image_{i:02d}.png"
        path.write_bytes(out.getvalue())
        paths.append(str(path))
    return paths


def conversation(paths: list[str], length: int = 50) -> list[dict]:
    """A system message, then user/assistant turns; every (length // len(paths))th user turn has an image."""
    messages: list[dict] = [{"role": "system", "content": "You are one agent of a team."}]
    images = iter(paths)
    for i in range(1, length):
        if i % 2:
            path = next(images, None) if (i // 2) % 2 == 0 else None
            content: list[dict] = [{"type": "text", "text": f"turn {i}: what changed?"}]
            if path:
                content.append({"type": "image", "path": path})
            messages.append({"role": "user", "content": content})
        else:
            messages.append({"role": "assistant", "content": f"answer {i} " + "lorem ipsum " * 20})
    for path in images:  # any images left go into the last user turn
        messages[-1 if messages[-1]["role"] == "user" else -2]["content"].append({"type": "image", "path": path})
    return messages


def time_format(convert, messages: list[dict], repeat: int) -> tuple[float, float, float]:
    """(cold ms, warm median ms, peak extra MB of one warm conversion)."""
    start = time.perf_counter()
    convert(messages)
    cold = (time.perf_counter() - start) * 1000
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        convert(messages)
        runs.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    convert(messages)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return cold, statistics.median(runs), peak


def bench_formatter(image_kb: int = 500, repeat: int = 20) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_images(Path(tmp), 10, image_kb)
        raw = conversation(paths)
        images = sum(isinstance(i, dict) and i.get("type") == "image" for m in raw for i in (m["content"] if isinstance(m["content"], list) else []))
        total_kb = sum(os.path.getsize(p) for p in paths) // 1024
        print(f"conversation: {len(raw)} messages, {images} images, {total_kb} KB of PNG on disk")
        print(f"{'format':<18}{'items':<8}{'cold ms':>10}{'warm ms':>10}{'peak MB':>10}")
        for label, messages in (("path", raw), ("refs", None)):
            if messages is None:
                start = time.perf_counter()
                messages = share_media(raw)
                print(f"share_media (path items -> refs, each file probed once): {(time.perf_counter() - start) * 1000:.1f} ms")
            for name, convert in FORMATS.items():
                cold, warm, peak = time_format(convert, messages, repeat)
                print(f"{name:<18}{label:<8}{cold:>10.1f}{warm:>10.2f}{peak:>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image-kb", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    bench_formatter(args.image_kb, args.repeat)


if __name__ == "__main__":
    main()

"""Media benchmark: prints figures (no pass/fail).

1. Sniff and probe a 1 GB sparse video: time, and bytes read, counted twice (our counting reader,
   and the kernel's /proc/self/io rchar).
2. Peak memory while building a request body with a 100 MB attachment, against its base64 size
   (target: under 2.5x), with tracemalloc in-process and peak-RSS (VmHWM) deltas in fresh processes.
3. bench_formatter(): formatter time per provider format (benchmarks/bench_formatter.py).

Run: python benchmarks/bench_media.py
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # media_samples: the sparse MP4 writer the tests use

import media_samples  # noqa: E402

from massgen.media import BASE64_CACHE, Base64Of, MediaRef, b64_length, build_json_body, iter_json_body, probe, probe_reading, sniff  # noqa: E402

GB = 1 << 30
ATTACHMENT_BYTES = 100 * (1 << 20)
TARGET_RATIO = 2.5


def rchar() -> int | None:
    """Bytes this process has read through read-like syscalls (Linux), or None elsewhere."""
    try:
        with open("/proc/self/io") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("rchar:"))
    except (OSError, StopIteration):
        return None


def _measured(fn):
    """(result, seconds, rchar delta) of one call; rchar is read just around it."""
    before, start = rchar(), time.perf_counter()
    result = fn()
    elapsed, after = time.perf_counter() - start, rchar()
    return result, elapsed, (after - before if before is not None and after is not None else None)


def bench_sniff_sparse() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "movie.mp4"
        media_samples.write_sparse_mp4(path, GB, seconds=5400)
        small = Path(folder) / "warm.mp4"
        small.write_bytes(media_samples.mp4_bytes())
        probe(small)  # warm up: imports (Pillow, mutagen, puremagic) are not the file's cost
        found, t_sniff, r_sniff = _measured(lambda: sniff(path))
        (info, counted), t_probe, r_probe = _measured(lambda: probe_reading(path))
        disk = os.stat(path).st_blocks * 512
    print("== sniff and validate a 1 GB sparse file ==")
    print(f"file: {info.size_bytes:,} bytes ({disk:,} on disk), {found.mime_type}, {info.duration_seconds:.0f} s")
    print(f"sniff: {t_sniff * 1000:.2f} ms, kernel rchar {r_sniff:,} bytes")
    print(f"probe (sniff + name check + completeness + duration): {t_probe * 1000:.2f} ms, "
          f"counted reader {counted:,} bytes, kernel rchar {r_probe:,} bytes "
          f"({100 * (r_probe or 0) / (info.size_bytes or 1):.4f}% of the file)")


# -- memory while building a request body ----------------------------------------------------------


def _payload(ref: MediaRef, streamed: bool) -> dict:
    data = Base64Of(ref) if streamed else ref.base64()
    return {"model": "m", "max_tokens": 100, "messages": [{"role": "user", "content": [
        {"type": "text", "text": "Describe this file."},
        {"type": "document", "source": {"type": "base64", "media_type": ref.item.mime_type, "data": data}}]}]}


def _build(mode: str, path: str) -> int:
    """Build one body the given way; returns its length."""
    ref = MediaRef.from_path(path)
    if mode == "build_json_body":
        return len(build_json_body(_payload(ref, True)))
    if mode == "iter_json_body":
        return sum(len(block) for block in iter_json_body(_payload(ref, True)))
    if mode == "ref.base64()":  # encoding once into the cached str, no body
        return len(ref.base64())
    if mode == "base64_then_json_dumps":  # what an SDK does with a dict holding the base64 str
        return len(json.dumps(_payload(ref, False)).encode("utf-8"))
    raise ValueError(mode)


MODES = ("build_json_body", "iter_json_body", "ref.base64()", "base64_then_json_dumps")


def _tracemalloc_peak(mode: str, path: str) -> tuple[int, int]:
    BASE64_CACHE.clear()  # each way starts from the file, not from an earlier way's cached text
    tracemalloc.start()
    try:
        length = _build(mode, path)
        return length, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _rss_delta_in_child(mode: str, path: str) -> int:
    """Peak-RSS growth (bytes) of a fresh interpreter building one body."""
    out = subprocess.run([sys.executable, __file__, "--rss-child", mode, path], capture_output=True, text=True,
                         check=True, timeout=300)
    return int(out.stdout.strip())


def peak_rss() -> int:
    """This process's peak resident set in bytes: VmHWM, which belongs to this program image.

    ru_maxrss is the fallback; on Linux it can carry the parent's peak across fork+exec, so a
    child's ru_maxrss delta reads 0 when the parent was the larger."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _rss_child(mode: str, path: str) -> None:
    MediaRef.from_path(path)  # imports and the probe happen before the baseline
    before = peak_rss()
    _build(mode, path)
    print(peak_rss() - before)


def bench_request_body_memory() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "attachment.bin")
        with open(path, "wb") as f:
            f.write(os.urandom(ATTACHMENT_BYTES))
        encoded = b64_length(ATTACHMENT_BYTES)
        print(f"\n== peak memory building a request body with a {ATTACHMENT_BYTES >> 20} MB attachment ==")
        print(f"base64 size: {encoded:,} bytes; target: under {TARGET_RATIO}x that")
        for mode in MODES:
            start = time.perf_counter()
            length, peak = _tracemalloc_peak(mode, path)
            elapsed = time.perf_counter() - start
            rss = _rss_delta_in_child(mode, path)
            verdict = "meets target" if max(peak, rss) < TARGET_RATIO * encoded else "over target"
            print(f"{mode:24s} body {length:,} B in {elapsed:.2f} s | tracemalloc peak {peak / encoded:.2f}x | "
                  f"peak RSS delta {rss / encoded:.2f}x | {verdict}")
        print("(ref.base64() is the encode-once str alone; base64_then_json_dumps is the SDK path, where a dict\n"
              " holding that str is serialised by json.dumps: shown for comparison, it is not ours to stream)")


def bench_formatter() -> None:
    """Formatter time for a 50-message conversation with 10 images, per provider format."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_formatter import bench_formatter as run

    print("\n== formatter timing ==")
    run()


def main() -> None:
    bench_sniff_sparse()
    bench_request_body_memory()
    bench_formatter()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--rss-child":
        _rss_child(sys.argv[2], sys.argv[3])
    else:
        main()

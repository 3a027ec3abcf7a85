"""Base64 from disk in blocks: the text is written into one buffer of its exact final size, so a file
is never held whole as bytes beside its encoding; plus a shared LRU cache bounded by total size."""

from __future__ import annotations

import binascii
import io
import threading
from collections import OrderedDict
from collections.abc import Iterator

from .errors import MediaError
from .fileio import CountingFileIO, PathLike

BLOCK_BYTES = 3 * 256 * 1024  # a multiple of 3, so every block but the last encodes without padding
CACHE_MAX_BYTES = 256 * 1024 * 1024

CacheKey = tuple[str, int, int]  # (realpath, size, mtime_ns)


def b64_length(size: int) -> int:
    """Length of the padded base64 text of `size` bytes."""
    return 4 * ((size + 2) // 3)


def _block(block_bytes: int) -> int:
    return max(3, block_bytes - block_bytes % 3)


def iter_file_blocks(raw: CountingFileIO, size: int, name: PathLike,
                     block_bytes: int = BLOCK_BYTES) -> Iterator[memoryview]:
    """Exactly `size` bytes of an open file, in full blocks of `block_bytes` (rounded to a multiple of 3)."""
    buf = bytearray(_block(block_bytes))
    view = memoryview(buf)
    remaining = size
    while remaining:
        want = min(len(buf), remaining)
        got = 0
        while got < want:
            n = raw.readinto(view[got:want])
            if not n:
                raise MediaError(name, "became shorter while it was being read", "attach it again once it is saved")
            got += n
        remaining -= got
        yield view[:got]


def iter_b64_blocks(raw: CountingFileIO, size: int, name: PathLike, block_bytes: int = BLOCK_BYTES) -> Iterator[bytes]:
    """Base64 text of an open file, one encoded block at a time."""
    for block in iter_file_blocks(raw, size, name, block_bytes):
        yield binascii.b2a_base64(block, newline=False)


def iter_b64_memory(data: bytes | memoryview, block_bytes: int = BLOCK_BYTES) -> Iterator[bytes]:
    """Base64 text of bytes already in memory, one block at a time."""
    view, step = memoryview(data), _block(block_bytes)
    for start in range(0, len(view), step):
        yield binascii.b2a_base64(view[start : start + step], newline=False)


def iter_text_slices(text: str, block_chars: int = 4 * BLOCK_BYTES // 3) -> Iterator[bytes]:
    """An ASCII str (already-encoded base64) as bytes slices."""
    for start in range(0, len(text), block_chars):
        yield text[start : start + block_chars].encode("ascii")


def encode_file(raw: CountingFileIO, size: int, name: PathLike, block_bytes: int = BLOCK_BYTES) -> str:
    """The whole file as base64 text; peak memory is about twice the text (buffer, then the str)."""
    out = io.BytesIO()
    total = b64_length(size)
    out.seek(total - 1)
    out.write(b"=")  # allocates the exact final size once; blocks are then written in place
    out.seek(0)
    for encoded in iter_b64_blocks(raw, size, name, block_bytes):
        out.write(encoded)
    if out.tell() != total:
        raise MediaError(name, "changed while it was being read", "attach it again once it is saved")
    return out.getvalue().decode("ascii")


class Base64Cache:
    """LRU of base64 texts keyed by (realpath, size, mtime_ns), bounded by their total length."""

    def __init__(self, max_bytes: int = CACHE_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[CacheKey, str] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    @property
    def total_bytes(self) -> int:
        return self._total

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: CacheKey) -> str | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: CacheKey, value: str) -> None:
        """Keep `value` unless it alone is over the bound; evict the least recently used to make room."""
        if len(value) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._total -= len(old) if old is not None else 0
            self._items[key] = value
            self._total += len(value)
            while self._total > self.max_bytes:
                _, evicted = self._items.popitem(last=False)
                self._total -= len(evicted)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._total = 0


CACHE = Base64Cache()

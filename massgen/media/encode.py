"""Base64 both ways. From disk in blocks: the text is written into one buffer of its exact final size, so
a file is never held whole as bytes beside its encoding; a shared LRU cache bounded by total size; and
the one reader of base64 text that arrives (data: URLs, URL-safe, unpadded, wrapped)."""

from __future__ import annotations

import binascii
import io
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator

from .errors import MediaError
from .fileio import CountingFileIO, PathLike

BLOCK_BYTES = 3 * 256 * 1024  # a multiple of 3, so every block but the last encodes without padding
CACHE_MAX_BYTES = 256 * 1024 * 1024

CacheKey = tuple[str, int, int]  # (realpath, size, mtime_ns)

_B64_TEXT = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_DATA_URL = re.compile(r"data:([\w.+-]+/[\w.+-]+)?((?:;[\w.+-]+=[\w.+-]+)*);base64,", re.IGNORECASE)
_URLSAFE_TO_STD = str.maketrans("-_", "+/")


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


def split_data_url(text: str, name: str) -> tuple[str | None, str]:
    """(declared mime, base64 body) from a data: URL, or (None, text) for bare base64."""
    if not isinstance(text, str):
        raise MediaError(name, f"base64 must be text, not {type(text).__name__}", "pass a str")
    if not text[:5].lower() == "data:":
        return None, text
    match = _DATA_URL.match(text)
    if not match:
        raise MediaError(name, "is a data: URL without ';base64,'", "give base64 data or attach the file")
    return match.group(1), text[match.end():]


def normalise_b64(body: str, name: str) -> str:
    """Standard, padded, whitespace-free base64; URL-safe input is translated (Gemini sends it)."""
    if any(c in body for c in " \n\r\t"):
        body = "".join(body.split())
    if "-" in body or "_" in body:
        body = body.translate(_URLSAFE_TO_STD)
    if len(body) % 4:
        body += "=" * (-len(body) % 4)
    if not body:
        raise MediaError(name, "is empty (0 bytes)", "attach something that has content")
    if len(body) % 4 or not _B64_TEXT.fullmatch(body):
        raise MediaError(name, "is not valid base64", "check that the data was copied whole")
    return body


def decode_base64(text: str, name: str) -> bytes:
    """The bytes of base64 text or a base64 data: URL; MediaError naming `name` when it is not base64."""
    return binascii.a2b_base64(normalise_b64(split_data_url(text, name)[1], name))

"""Cheap completeness checks: does the file end where its own structure says it should?

Each reads a few bytes at known offsets (never the whole file) and returns a problem or None."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

TAIL_BYTES = 64 * 1024
_MAX_PNG_CHUNKS = 2_000_000
_APPENDED_VIDEO_MARKERS = (b"ftyp", b"moov", b"mdat")  # motion photos append an MP4 after the JPEG

TRUNCATED = "truncated"


def _read_at(f: BinaryIO, offset: int, size: int) -> bytes:
    f.seek(offset)
    return f.read(size) or b""


def _tail(f: BinaryIO, file_size: int, size: int = TAIL_BYTES) -> bytes:
    return _read_at(f, max(0, file_size - size), size)


def png_problem(f: BinaryIO, file_size: int) -> str | None:
    """Walk the chunk headers (8 bytes each, seeking over the data) until IEND; IHDR must come first."""
    if _read_at(f, 8, 8) != b"\0\0\0\x0dIHDR":
        return "its first chunk is not the image header"
    pos = 8
    for _ in range(_MAX_PNG_CHUNKS):
        header = _read_at(f, pos, 8)
        if len(header) < 8:
            return TRUNCATED
        length, kind = int.from_bytes(header[:4], "big"), header[4:8]
        if not kind.isalpha() or length > 0x7FFFFFFF:
            return f"a broken chunk at byte {pos}"
        if kind == b"IEND":
            return None
        pos += 12 + length
        if pos > file_size:
            return TRUNCATED
    return "too many chunks"


def jpeg_problem(f: BinaryIO, file_size: int) -> str | None:
    """The end-of-image marker FFD9 must be in the last 64 KB (it cannot occur inside entropy-coded data)."""
    tail = _tail(f, file_size)
    if b"\xff\xd9" in tail or any(marker in tail for marker in _APPENDED_VIDEO_MARKERS):
        return None
    return TRUNCATED


def gif_problem(f: BinaryIO, file_size: int) -> str | None:
    """A GIF ends with the trailer byte 0x3B (allowing trailing padding)."""
    return None if _tail(f, file_size, 256).rstrip(b"\0\r\n ").endswith(b";") else TRUNCATED


def riff_problem(f: BinaryIO, file_size: int) -> str | None:
    """RIFF (here: WebP) declares its size in bytes 4..8."""
    declared = int.from_bytes(_read_at(f, 4, 4), "little")
    if declared in (0, 0xFFFFFFFF):  # streamed or RF64: size unknown here
        return None
    return TRUNCATED if declared + 8 > file_size else None


def bmp_problem(f: BinaryIO, file_size: int) -> str | None:
    """BMP declares its file size in bytes 2..6 (some writers leave it 0)."""
    declared = int.from_bytes(_read_at(f, 2, 4), "little")
    return TRUNCATED if declared and declared > file_size else None


def pdf_problem(f: BinaryIO, file_size: int) -> str | None:
    """A PDF ends with %%EOF (readers look for it in the last kilobyte or so)."""
    return None if b"%%EOF" in _tail(f, file_size, 2048) else TRUNCATED


CHECKS: dict[str, Callable[[BinaryIO, int], str | None]] = {
    "image/png": png_problem,
    "image/jpeg": jpeg_problem,
    "image/gif": gif_problem,
    "image/webp": riff_problem,
    "image/bmp": bmp_problem,
    "application/pdf": pdf_problem,
}


def completeness_problem(f: BinaryIO, mime_type: str, file_size: int) -> str | None:
    """TRUNCATED, another short problem, or None when the type has no check or passes it."""
    check = CHECKS.get(mime_type)
    return check(f, file_size) if check else None

"""Small but valid media files for the generation routes: JPEG, WebP, MP4 and audio in each format.

Built in code (JPEG/WebP with Pillow, the rest with struct/wave), so no binary fixture is checked in.
"""

from __future__ import annotations

import functools
import io
import struct
import wave

from .replies import tiny_png


@functools.lru_cache(maxsize=8)
def tiny_image(fmt: str = "PNG", rgb: tuple[int, int, int] = (30, 120, 200), size: tuple[int, int] = (8, 6)) -> bytes:
    """An image in Pillow format `fmt` (PNG, JPEG, WEBP)."""
    if fmt.upper() == "PNG":
        return tiny_png(*size, rgb=rgb)
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, rgb).save(buffer, format=fmt.upper())
    return buffer.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


@functools.lru_cache(maxsize=1)
def tiny_mp4() -> bytes:
    """An ISO-BMFF file (ftyp, free, mdat) that content sniffing identifies as video/mp4."""
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isomiso2avc1mp41")
    return ftyp + _box(b"free", b"") + _box(b"mdat", b"\x00" * 2048)


def _wav(rate: int = 24000, seconds: float = 0.1) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x01" * int(rate * seconds))
    return buffer.getvalue()


def _mp3() -> bytes:
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + frame * 8


def _flac() -> bytes:
    streaminfo = struct.pack(">HH", 4096, 4096) + b"\x00" * 6 + bytes.fromhex("0ac44270000000") + b"\x00" * 19
    return b"fLaC" + bytes([0x80]) + struct.pack(">I", len(streaminfo))[1:] + streaminfo + b"\x00" * 64


def _ogg_opus() -> bytes:
    head = b"OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00"
    page = b"OggS\x00\x02" + b"\x00" * 8 + b"\x01\x00\x00\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00" + b"\x01"
    return page + bytes([len(head)]) + head + b"\x00" * 64


def _aac() -> bytes:
    frame = bytes.fromhex("fff15080021ffc") + b"\x00" * 9
    return frame * 8


def audio_bytes(fmt: str) -> bytes:
    """Audio in `fmt` (mp3, wav, flac, opus, aac, pcm); pcm is raw 16-bit samples with no header."""
    makers = {"mp3": _mp3, "wav": _wav, "flac": _flac, "opus": _ogg_opus, "aac": _aac,
              "pcm": lambda: b"\x00\x01" * 2400}
    return makers[fmt]()

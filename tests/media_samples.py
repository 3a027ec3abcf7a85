"""Real media made on the fly for the massgen.media tests and benchmark: images by Pillow, WAV by the
wave module, PDF by pypdf, ZIPs by zipfile, and byte-exact containers (MP4, Ogg, EBML, MP3, FLAC)."""

from __future__ import annotations

import io
import os
import struct
import wave
import zipfile
import zlib
from pathlib import Path

from PIL import Image


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB", color=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt, **save)
    return out.getvalue()


def noise_image(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Incompressible pixels: the worst case for fitting to a byte limit."""
    bands = len(mode)
    return Image.frombytes(mode, size, os.urandom(size[0] * size[1] * bands))


def photo_jpeg(size: tuple[int, int] = (1600, 1200), quality: int = 92, **save) -> bytes:
    """A photo-like JPEG (smooth gradients plus noise), big enough to need fitting."""
    w, h = size
    gradient = Image.linear_gradient("L").resize((w, h))
    noise = Image.effect_noise((w, h), 40)
    img = Image.merge("RGB", (gradient, noise, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, **save)
    return out.getvalue()


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x00\x01" * int(seconds * rate))
    return out.getvalue()


def box(kind: bytes, payload: bytes = b"") -> bytes:
    """One ISO-BMFF box."""
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    return box(b"ftyp", major + b"\0\0\0\0" + b"".join(compatible))


def mvhd(seconds: int, timescale: int = 1000) -> bytes:
    """A version-0 movie header: enough for mutagen to read the length."""
    payload = b"\0\0\0\0" + struct.pack(">IIII", 0, 0, timescale, seconds * timescale)
    payload += struct.pack(">IH", 0x00010000, 0x0100) + b"\0" * 10 + b"\0" * 36 + b"\0" * 24 + struct.pack(">I", 2)
    return box(b"mvhd", payload)


def mp4_bytes(seconds: int = 7, major: bytes = b"isom", *compatible: bytes) -> bytes:
    return ftyp(major, *(compatible or (b"isom", b"mp41"))) + box(b"mdat", b"\0" * 64) + box(b"moov", mvhd(seconds))


def write_sparse_mp4(path: Path, total: int, seconds: int = 600) -> None:
    """An MP4 of `total` bytes whose media data is a hole: ftyp, a huge mdat, the moov at the very end."""
    head = ftyp(b"isom", b"isom", b"mp41")
    moov = box(b"moov", mvhd(seconds))
    mdat_size = total - len(head) - len(moov)
    with open(path, "wb") as f:
        f.write(head + struct.pack(">I", mdat_size) + b"mdat")
        f.seek(total - len(moov))
        f.write(moov)


def ogg_bytes(codec_packet: bytes) -> bytes:
    """The first Ogg page (one segment) carrying `codec_packet`."""
    header = b"OggS\0\x02" + b"\0" * 8 + b"\x01\0\0\0" + b"\0" * 4 + b"\0" * 4 + bytes([1, len(codec_packet)])
    return header + codec_packet + b"\0" * 64


def ebml_bytes(doctype: bytes) -> bytes:
    versions = b"\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
    body = versions + b"\x42\x82" + bytes([0x80 | len(doctype)]) + doctype
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(body)]) + body + b"\0" * 64


def mp3_frames(frames: int = 20) -> bytes:
    """MPEG-1 Layer III, 128 kbit/s, 44.1 kHz frames (417 bytes each), no ID3 tag."""
    return (b"\xff\xfb\x90\x64" + b"\0" * 413) * frames


def flac_bytes() -> bytes:
    streaminfo = struct.pack(">HH", 4096, 4096) + b"\0" * 6 + bytes([0x0A, 0xC4, 0x40, 0xF0]) + b"\0" * 4 + b"\0" * 16
    return b"fLaC" + bytes([0x80, 0, 0, 34]) + streaminfo + b"\0" * 64


def pdf_bytes(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes], stored_first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if stored_first:
            z.writestr(zipfile.ZipInfo(stored_first), entries[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != stored_first:
                z.writestr(name, data)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of width x height all-zero pixels: tiny on disk, huge when decoded."""
    row = b"\0" * (1 + (width + 7) // 8)
    comp = zlib.compressobj(9)
    parts = [comp.compress(row * 1024) for _ in range(height // 1024)]
    parts.append(comp.compress(row * (height % 1024)))
    parts.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")

"""Small real media files (made here, no fixtures on disk) and one conversation holding every item type,
for the formatter tests and benchmark."""

from __future__ import annotations

import base64
import io
import os
import struct
import wave
from pathlib import Path

from PIL import Image


def png_bytes(size: int = 8, color: str = "red", noise: int = 0) -> bytes:
    """A valid PNG; `noise` appends random pixels so the file is larger (and incompressible)."""
    img = Image.new("RGB", (size, size), color)
    if noise:
        side = max(1, int((noise / 3) ** 0.5))
        img = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def webp_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "WEBP")
    return out.getvalue()


def bmp_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "BMP")
    return out.getvalue()


def wav_bytes() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 800)
    return out.getvalue()


def flac_bytes() -> bytes:
    """A FLAC stream header with an empty STREAMINFO: sniffed as audio/flac."""
    info = b"\x10\x00\x10\x00" + b"\0" * 6 + bytes([0x0A, 0xC4, 0x40, 0xF0]) + b"\0" * 20
    return b"fLaC" + bytes([0x80, 0, 0, 34]) + info + b"\0" * 100


def mp4_bytes() -> bytes:
    ftyp = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isomiso2"
    return ftyp + struct.pack(">I", 16) + b"mdat" + b"\0" * 8


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def write(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    return str(path)


def every_item_conversation(folder: Path) -> list[dict]:
    """System x2, a user turn with every item type and source, an assistant tool call, its result, a reply."""
    png_path = write(folder, "cat.png", png_bytes())
    return [
        {"role": "system", "content": "You are agent A."},
        {"role": "system", "content": "Answer briefly."},
        {"role": "user", "content": [
            {"type": "text", "text": "Look at these."},
            {"type": "image", "path": png_path},
            {"type": "image", "url": "https://example.com/dog.jpg"},
            {"type": "image", "base64": b64(png_bytes(color="blue")), "mime_type": "image/png", "filename": "blue.png"},
            {"type": "audio", "base64": b64(wav_bytes()), "mime_type": "audio/wav", "filename": "hello.wav"},
            {"type": "video", "base64": b64(mp4_bytes()), "mime_type": "video/mp4", "filename": "clip.mp4"},
            {"type": "document", "base64": b64(pdf_bytes()), "mime_type": "application/pdf", "filename": "report.pdf"},
        ]},
        {"role": "assistant", "content": "I will measure it.",
         "tool_calls": [{"id": "call_1", "name": "measure", "arguments": {"what": "cat", "precise": True}}]},
        {"role": "tool", "tool_call_id": "call_1", "name": "measure", "content": "42 cm"},
        {"role": "user", "content": "Thanks."},
    ]

"""What the fake provider answers: scripted replies (content and faults) and tiny valid media."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

FAKE_KEY = "fake-key-7Hq2-DO-NOT-LEAK-9xZ4"  # not shaped like a real key: redaction must use the key itself


@dataclass
class Reply:
    """One answer of one route: content (None text = echo) plus optional faults.

    Faults: `status` != 200 sends that error (with `headers`, e.g. Retry-After); `disconnect` closes
    the connection without answering; `stall` waits before the headers (or after `stall_after`
    frames); `drop_after` closes the socket after N frames; `malformed_after` sends a broken frame;
    `error_event_after` an in-band error event.
    """

    text: str | None = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    images: list[bytes] | None = None
    partial_images: int | None = None
    reasoning: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    error_message: str = "fake provider error"
    disconnect: bool = False
    stall: float = 0.0
    stall_after: int | None = None
    frame_delay: float = 0.0
    drop_after: int | None = None
    malformed_after: int | None = None
    error_event_after: int | None = None
    pieces: int = 3
    file_state: str = "ACTIVE"

    @classmethod
    def fault(cls, status: int, *, retry_after: float | None = None, retry_after_ms: int | None = None,
              message: str = "fake provider error") -> "Reply":
        """An error status reply, optionally with Retry-After (seconds) or retry-after-ms."""
        headers: dict[str, str] = {}
        if retry_after is not None:
            headers["retry-after"] = f"{retry_after:g}"
        if retry_after_ms is not None:
            headers["retry-after-ms"] = str(retry_after_ms)
        return cls(status=status, headers=headers, error_message=message)


def as_reply(value: Reply | str | dict[str, Any]) -> Reply:
    """Scripts accept a Reply, plain text, or Reply keyword arguments."""
    if isinstance(value, Reply):
        return value
    if isinstance(value, str):
        return Reply(text=value)
    if isinstance(value, dict):
        return Reply(**value)
    raise TypeError(f"script entries are Reply, str or dict, not {type(value).__name__}")


def split_text(text: str, pieces: int) -> list[str]:
    """`text` in up to `pieces` consecutive non-empty parts (streamed as deltas)."""
    if not text:
        return []
    pieces = max(1, min(pieces, len(text)))
    size, extra = divmod(len(text), pieces)
    out, start = [], 0
    for i in range(pieces):
        end = start + size + (1 if i < extra else 0)
        out.append(text[start:end])
        start = end
    return out


def tiny_png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A valid RGB PNG built with zlib and struct only, so the fake needs no Pillow."""
    row = b"\x00" + bytes(rgb) * width
    raw = row * height

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

DEFAULT_IMAGE_SIZE = (4, 3)


def default_image(index: int = 0) -> bytes:
    """The image the fake generates when a reply asks for one but names none (4x3, colour per index)."""
    return tiny_png(*DEFAULT_IMAGE_SIZE, rgb=(200, 40 + 30 * index % 200, 40))


def partial_image(index: int) -> bytes:
    """A 2x2 preview, distinct from the final image so tests can tell them apart."""
    return tiny_png(2, 2, rgb=(10 * index, 10, 10))


def is_default(reply: Reply) -> bool:
    """A reply that scripts no content: the route echoes the request."""
    return reply.text is None and not reply.tool_calls and reply.images is None and reply.reasoning is None


def echo(text: str, counts: dict[str, int]) -> str:
    """The default answer: `Echo: <last user text>` plus attachment counts, e.g. `[images=1]`."""
    extra = " ".join(f"{kind}={n}" for kind, n in counts.items() if n)
    return f"Echo: {text}" + (f" [{extra}]" if extra else "")


def tool_call_id(call: dict[str, Any], index: int, prefix: str = "call") -> str:
    return str(call.get("id") or f"{prefix}_{index + 1}")


def arguments_text(call: dict[str, Any]) -> str:
    """A scripted call's arguments as the JSON text a provider streams."""
    args = call.get("arguments", {})
    return args if isinstance(args, str) else json.dumps(args)

"""JSON request bodies whose media is streamed: base64 goes from disk (or the cache) straight into the
body, so a 100 MB attachment never exists as a Python str next to the JSON text and its bytes.

Put `Base64Of(ref)` (or a bare MediaRef) where the provider wants the base64 string, and
`Base64Of(ref, data_url=True)` where it wants a data: URL."""

from __future__ import annotations

import io
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .ref import MediaRef


@dataclass(frozen=True)
class Base64Of:
    """Stands for the JSON string of a ref's base64 text (or its data: URL)."""

    ref: MediaRef
    data_url: bool = False

    @property
    def prefix(self) -> bytes:
        return f"data:{self.ref.item.mime_type};base64,".encode("ascii") if self.data_url else b""

    @property
    def length(self) -> int:
        b64_len = self.ref.base64_length
        if b64_len is None:
            self.ref.base64()  # raises the ref's MediaError (URL or file id: no bytes)
            b64_len = self.ref.base64_length or 0
        return len(self.prefix) + b64_len


def _plan(payload: Any) -> tuple[list[bytes], list[Base64Of]]:
    """The JSON text split around each Base64Of: len(texts) == len(media) + 1."""
    nonce = secrets.token_hex(8)
    media: list[Base64Of] = []

    def swap(value: Any) -> Any:
        if isinstance(value, MediaRef):
            value = Base64Of(value)
        if isinstance(value, Base64Of):
            media.append(value)
            return f"@@media-{nonce}-{len(media) - 1}@@"
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [swap(v) for v in value]
        return value

    text = json.dumps(swap(payload), ensure_ascii=False, separators=(",", ":"))
    pieces = re.split(f"@@media-{nonce}-\\d+@@", text)
    return [p.encode("utf-8") for p in pieces], media


def json_body_length(payload: Any) -> int:
    """Byte length of the body (for Content-Length) without encoding any media."""
    texts, media = _plan(payload)
    return sum(map(len, texts)) + sum(m.length for m in media)


def iter_json_body(payload: Any, block_bytes: int = 3 * 256 * 1024) -> Iterator[bytes]:
    """The body as byte blocks; media is encoded block by block and not kept."""
    texts, media = _plan(payload)
    for text, item in zip(texts[:-1], media, strict=True):
        yield text
        if item.data_url:
            yield item.prefix
        yield from item.ref.iter_base64(block_bytes)
    yield texts[-1]


def build_json_body(payload: Any) -> bytes:
    """The whole body as one bytes object, written into a buffer of its exact size (peak ~1x the body)."""
    total = json_body_length(payload)
    out = io.BytesIO()
    if total:
        out.seek(total - 1)
        out.write(b" ")
        out.seek(0)
    for block in iter_json_body(payload):
        out.write(block)
    return out.getvalue()

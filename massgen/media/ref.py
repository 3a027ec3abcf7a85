"""MediaRef: one piece of media by reference (path, URL, bytes, base64 text or provider file id).

Bytes are read and base64-encoded only when a request is built, once per ref (and shared through a
cache keyed by (realpath, size, mtime_ns) between refs to the same unchanged file)."""

from __future__ import annotations

import binascii
import io
import mimetypes
import os
import re
import threading
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import urlsplit

from massgen.stream_chunk import MediaType

from .encode import BLOCK_BYTES, CACHE, b64_length, encode_file, iter_b64_blocks, iter_b64_memory, iter_text_slices
from .errors import MediaError
from .fileio import PathLike, open_file, reading
from .probe import MediaInfo, probe, probe_bytes
from .sniff import SNIFF_BYTES, media_type_for, sniff_bytes

_B64_TEXT = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_DATA_URL = re.compile(r"data:([\w.+-]+/[\w.+-]+)?((?:;[\w.+-]+=[\w.+-]+)*);base64,", re.IGNORECASE)
_URLSAFE_TO_STD = str.maketrans("-_", "+/")
_KINDS = ("path", "url", "bytes", "base64", "file_id")


class MediaRef:
    """Media by reference; build with a from_* classmethod. Thread-safe: encoding happens once."""

    def __init__(self, kind: str, *, mime_type: str, size_bytes: int | None = None, filename: str | None = None,
                 path: str | None = None, url: str | None = None, data: bytes | None = None,
                 b64: str | None = None, file_id: str | None = None, provider: str | None = None,
                 info: MediaInfo | None = None) -> None:
        if kind not in _KINDS:
            raise ValueError(f"MediaRef kind {kind!r} is not one of: {', '.join(_KINDS)}")
        self.kind, self.mime_type, self.size_bytes, self.filename = kind, mime_type, size_bytes, filename
        self.path, self.url, self.file_id, self.provider = path, url, file_id, provider
        self._data, self._b64, self._info = data, b64, info
        self._lock = threading.Lock()

    # -- constructors -------------------------------------------------------------------------
    @classmethod
    def from_path(cls, path: PathLike) -> MediaRef:
        """Probe the file now (bad input raises MediaError); read and encode it only when asked."""
        info = probe(path)
        return cls("path", mime_type=info.mime_type, size_bytes=info.size_bytes, filename=info.filename,
                   path=info.path, info=info)

    @classmethod
    def from_bytes(cls, data: bytes | bytearray | memoryview, mime_type: str | None = None,
                   filename: str | None = None) -> MediaRef:
        """Content in memory; its type is sniffed (a declared type is used only when sniffing finds none)."""
        data = bytes(data)
        info = probe_bytes(data, filename or "(attached bytes)")
        mime = info.mime_type if info.mime_type != "application/octet-stream" or not mime_type else mime_type
        return cls("bytes", mime_type=mime, size_bytes=len(data), filename=filename, data=data, info=info)

    @classmethod
    def from_base64(cls, text: str, mime_type: str | None = None, filename: str | None = None) -> MediaRef:
        """Base64 text or a data: URL; checked and sniffed from its first few KB without decoding it all."""
        name = filename or "(base64 data)"
        declared, body = _split_data_url(text, name)
        body = _normalise_b64(body, name)
        head = binascii.a2b_base64(body[: b64_length(SNIFF_BYTES)])  # whole 4-character groups only
        found = sniff_bytes(head)
        mime = found.mime_type if found.known or not (mime_type or declared) else (mime_type or declared)
        size = len(body) // 4 * 3 - body[-2:].count("=")
        return cls("base64", mime_type=mime, size_bytes=size, filename=filename, b64=body)

    @classmethod
    def from_url(cls, url: str, mime_type: str | None = None, filename: str | None = None) -> MediaRef:
        """An http(s) URL, passed on to providers that fetch URLs; the type is the declared one or a guess."""
        if url.lower().startswith("data:"):
            return cls.from_base64(url, mime_type, filename)
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise MediaError(url[:80], "is not an http(s) URL", "give a full https:// address or attach a file")
        guessed = mimetypes.guess_type(parts.path, strict=False)[0]
        name = filename or os.path.basename(parts.path) or None
        return cls("url", mime_type=mime_type or guessed or "application/octet-stream", filename=name, url=url)

    @classmethod
    def from_file_id(cls, file_id: str, provider: str | None = None, mime_type: str | None = None,
                     filename: str | None = None, size_bytes: int | None = None) -> MediaRef:
        """A file already uploaded to a provider's file store."""
        if not file_id or not isinstance(file_id, str):
            raise MediaError("file_id", "is empty", "give the id the provider returned for the upload")
        return cls("file_id", mime_type=mime_type or "application/octet-stream", size_bytes=size_bytes,
                   filename=filename, file_id=file_id, provider=provider)

    # -- what it is ----------------------------------------------------------------------------
    @property
    def media_type(self) -> MediaType:
        return media_type_for(self.mime_type)

    @property
    def name(self) -> str:
        """How messages name this media: the path, filename, URL or file id."""
        fallback = "(attached bytes)" if self.kind == "bytes" else "(base64 data)"
        return self.path or self.filename or self.url or self.file_id or fallback

    @property
    def info(self) -> MediaInfo | None:
        """Probe results (dimensions, duration); for base64 text this decodes it once, on first use."""
        if self._info is None and self.kind == "base64":
            self._info = probe_bytes(self.read_bytes(), self.name)
        return self._info

    @property
    def base64_length(self) -> int | None:
        """Length of the base64 text without building it."""
        if self._b64 is not None:
            return len(self._b64)
        return b64_length(self.size_bytes) if self.size_bytes is not None and self.kind in ("path", "bytes") else None

    # -- bytes and base64 ----------------------------------------------------------------------
    def base64(self) -> str:
        """Standard padded base64 of the content, encoded once and cached (paths also share a global LRU)."""
        with self._lock:
            if self.kind == "path":
                self._refresh()
                key = self._cache_key()
                if self._b64 is None:
                    self._b64 = CACHE.get(key) or self._encode_path()
                    CACHE.put(key, self._b64)
            elif self._b64 is None:
                self._b64 = binascii.b2a_base64(self._bytes_or_error(), newline=False).decode("ascii")
            return self._b64

    def data_url(self) -> str:
        """`data:<mime>;base64,<text>`, built from the cached base64 on each call (not kept)."""
        return f"data:{self.mime_type};base64,{self.base64()}"

    def iter_base64(self, block_bytes: int = BLOCK_BYTES) -> Iterator[bytes]:
        """The base64 text as ASCII byte blocks: from the cache when built, else streamed from disk unkept."""
        if self._b64 is not None:
            yield from iter_text_slices(self._b64, 4 * max(3, block_bytes) // 3)
        elif self.kind == "path":
            raw, st = self._open_current()
            with reading(self.name), raw:
                yield from iter_b64_blocks(raw, st.st_size, self.name, block_bytes)
        else:
            yield from iter_b64_memory(self._bytes_or_error(), block_bytes)

    def read_bytes(self) -> bytes:
        """The whole content as bytes (decoded for base64 refs)."""
        if self.kind == "path":
            raw, st = self._open_current()
            with reading(self.name), raw:
                data = raw.read(st.st_size) or b""
            if len(data) != st.st_size:
                raise MediaError(self.name, "changed while it was being read", "attach it again once it is saved")
            return data
        if self.kind == "base64":
            return binascii.a2b_base64(self._b64 or "")
        return self._bytes_or_error()

    def open(self) -> BinaryIO:
        """A binary file object positioned at the start (the caller closes it)."""
        if self.kind == "path":
            raw, _ = self._open_current()
            return io.BufferedReader(raw)
        return io.BytesIO(self.read_bytes())

    def forget(self) -> None:
        """Drop this ref's cached base64 (the shared path cache keeps its copy until evicted)."""
        with self._lock:
            if self.kind in ("path", "bytes"):
                self._b64 = None

    # -- internals -----------------------------------------------------------------------------
    def _bytes_or_error(self) -> bytes:
        if self._data is not None:
            return self._data
        if self.kind == "base64":
            return binascii.a2b_base64(self._b64 or "")
        where = "a URL" if self.kind == "url" else "a provider file id"
        raise MediaError(self.name, f"is {where}, so there are no bytes here to send",
                         "send it to a provider that takes it as is, or download it and attach the file")

    def _cache_key(self) -> tuple[str, int, int]:
        assert self._info is not None
        return self._info.realpath, self._info.size_bytes, self._info.mtime_ns

    def _refresh(self) -> None:
        """Re-probe if the file changed since it was probed, and drop encodings of the old content."""
        assert self.path is not None and self._info is not None
        try:
            st = os.stat(self.path)
        except OSError:
            st = None
        if st is None or (st.st_size, st.st_mtime_ns) != (self._info.size_bytes, self._info.mtime_ns):
            self._info = probe(self.path)
            self.mime_type, self.size_bytes, self._b64 = self._info.mime_type, self._info.size_bytes, None

    def _open_current(self):
        assert self.path is not None
        return open_file(self.path)

    def _encode_path(self) -> str:
        raw, st = self._open_current()
        with reading(self.name), raw:
            return encode_file(raw, st.st_size, self.name)

    def __repr__(self) -> str:
        size = f" {self.size_bytes} B" if self.size_bytes is not None else ""
        return f"<MediaRef {self.kind} {self.mime_type}{size} {self.name!r}>"


def _split_data_url(text: str, name: str) -> tuple[str | None, str]:
    """(declared mime, base64 body) from a data: URL, or (None, text) for bare base64."""
    if not isinstance(text, str):
        raise MediaError(name, f"base64 must be text, not {type(text).__name__}", "pass a str")
    if not text[:5].lower() == "data:":
        return None, text
    match = _DATA_URL.match(text)
    if not match:
        raise MediaError(name, "is a data: URL without ';base64,'", "give base64 data or attach the file")
    return match.group(1), text[match.end():]


def _normalise_b64(body: str, name: str) -> str:
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

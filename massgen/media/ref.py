"""MediaRef: one piece of media by reference (path, URL, bytes, base64 text or provider file id).

It holds the MediaItem that describes the media, plus what is not a description: the base64 text,
read and encoded only when a request is built, once per ref (and shared through a cache keyed by
(realpath, size, mtime_ns) between refs to the same unchanged file)."""

from __future__ import annotations

import binascii
import io
import mimetypes
import os
import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import BinaryIO
from urllib.parse import urlsplit

from .encode import (BLOCK_BYTES, CACHE, b64_length, encode_file, iter_b64_blocks, iter_b64_memory, iter_text_slices,
                     normalise_b64, split_data_url)
from .errors import MediaError
from .fileio import CountingFileIO, PathLike, open_file, reading
from .item import MediaItem
from .kinds import UNKNOWN_MIME, media_type_for
from .probe import probe, probe_bytes
from .sniff import SNIFF_BYTES, sniff_bytes


class MediaRef:
    """Media by reference: `item` says what and where it is; build with a from_* classmethod, or around an item.

    Thread-safe: encoding happens once."""

    def __init__(self, item: MediaItem, *, b64: str | None = None, provider: str | None = None) -> None:
        self.item = item
        self.provider = provider  # whose file store a file id is in
        self._b64 = b64
        self._lock = threading.Lock()

    # -- constructors -------------------------------------------------------------------------
    @classmethod
    def from_path(cls, path: PathLike) -> MediaRef:
        """Probe the file now (bad input raises MediaError); read and encode it only when asked."""
        return cls(probe(path))

    @classmethod
    def from_bytes(cls, data: bytes | bytearray | memoryview, mime_type: str | None = None,
                   filename: str | None = None) -> MediaRef:
        """Content in memory; its type is sniffed (a declared type is used only when sniffing finds none)."""
        data = bytes(data)
        found = probe_bytes(data, filename or "(attached bytes)")
        mime = found.mime_type if found.mime_type != UNKNOWN_MIME or not mime_type else mime_type
        return cls(replace(found, mime_type=mime, media_type=media_type_for(mime), filename=filename, data=data))

    @classmethod
    def from_base64(cls, text: str, mime_type: str | None = None, filename: str | None = None) -> MediaRef:
        """Base64 text or a data: URL; checked and sniffed from its first few KB without decoding it all."""
        name = filename or "(base64 data)"
        declared, body = split_data_url(text, name)
        body = normalise_b64(body, name)
        head = binascii.a2b_base64(body[: b64_length(SNIFF_BYTES)])  # whole 4-character groups only
        found = sniff_bytes(head)
        mime = (mime_type or declared or found.mime_type) if not found.known else found.mime_type
        size = len(body) // 4 * 3 - body[-2:].count("=")
        return cls(MediaItem(mime_type=mime, size_bytes=size, filename=filename), b64=body)

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
        return cls(MediaItem(mime_type=mime_type or guessed or UNKNOWN_MIME, filename=name, url=url))

    @classmethod
    def from_file_id(cls, file_id: str, provider: str | None = None, mime_type: str | None = None,
                     filename: str | None = None, size_bytes: int | None = None) -> MediaRef:
        """A file already uploaded to a provider's file store."""
        if not file_id or not isinstance(file_id, str):
            raise MediaError("file_id", "is empty", "give the id the provider returned for the upload")
        item = MediaItem(mime_type=mime_type or UNKNOWN_MIME, size_bytes=size_bytes, filename=filename, file_id=file_id)
        return cls(item, provider=provider)

    # -- what it is ----------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        """Where the media is: "path", "url", "file_id", "bytes" (in memory) or "base64" (text in memory)."""
        item = self.item
        if item.path is not None:
            return "path"
        if item.url is not None:
            return "url"
        if item.file_id is not None:
            return "file_id"
        return "bytes" if item.data is not None else "base64"

    @property
    def name(self) -> str:
        """How messages name this media: the path, filename, URL or file id."""
        item = self.item
        fallback = "(attached bytes)" if item.data is not None else "(base64 data)"
        return item.path or item.filename or item.url or item.file_id or fallback

    def probed(self) -> MediaItem | None:
        """The item with what probing finds (dimensions, duration); base64 text is decoded for it once.

        None for a URL or a provider file id: there is nothing here to probe."""
        if self.kind == "base64" and self.item.label is None:
            found = probe_bytes(self.read_bytes(), self.name)
            self.item = replace(found, mime_type=self.item.mime_type, media_type=self.item.media_type,
                                filename=self.item.filename)
        return self.item if self.kind in ("path", "bytes", "base64") else None

    @property
    def base64_length(self) -> int | None:
        """Length of the base64 text without building it."""
        if self._b64 is not None:
            return len(self._b64)
        size = self.item.size_bytes
        return b64_length(size) if size is not None and self.kind in ("path", "bytes") else None

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
        return f"data:{self.item.mime_type};base64,{self.base64()}"

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
        if self.item.data is not None:
            return self.item.data
        if self.kind == "base64":
            return binascii.a2b_base64(self._b64 or "")
        where = "a URL" if self.kind == "url" else "a provider file id"
        raise MediaError(self.name, f"is {where}, so there are no bytes here to send",
                         "send it to a provider that takes it as is, or download it and attach the file")

    def _cache_key(self) -> tuple[str, int, int]:
        item = self.item
        return item.realpath or item.path or "", item.size_bytes or 0, item.mtime_ns or 0

    def _refresh(self) -> None:
        """Re-probe if the file changed since it was probed, and drop encodings of the old content."""
        path = self.item.path
        assert path is not None
        try:
            st = os.stat(path)
        except OSError:
            st = None
        if st is None or (st.st_size, st.st_mtime_ns) != (self.item.size_bytes, self.item.mtime_ns):
            self.item, self._b64 = probe(path), None

    def _open_current(self) -> tuple[CountingFileIO, os.stat_result]:
        assert self.item.path is not None
        return open_file(self.item.path)

    def _encode_path(self) -> str:
        raw, st = self._open_current()
        with reading(self.name), raw:
            return encode_file(raw, st.st_size, self.name)

    def __repr__(self) -> str:
        size = f" {self.item.size_bytes} B" if self.item.size_bytes is not None else ""
        return f"<MediaRef {self.kind} {self.item.mime_type}{size} {self.name!r}>"

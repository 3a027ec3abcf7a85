"""Writing generated media: atomic, never overwriting, named from the prompt, extension from content.

Bytes stream into a hidden temp file in the output folder (massgen.files); on commit the file is
sniffed (magic bytes, not what the provider claimed) and kept as `<stem>.<real ext>` (or -2, -3 ...),
a name taken exactly once even by concurrent writers. The result is the file's MediaItem.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import os
import re
import unicodedata
from pathlib import Path

from massgen.files import TempFile
from massgen.media.encode import decode_base64
from massgen.media.errors import MediaError
from massgen.media.item import MediaItem
from massgen.media.kinds import UNKNOWN_MIME, MediaType
from massgen.media.sniff import sniff

from .errors import GenerationError, GenerationInputError

_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 40


def slug(text: str, limit: int = MAX_SLUG, fallback: str = "media") -> str:
    """A file-name-safe, lower-case ASCII rendering of `text` (accents folded, punctuation dropped)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = _NON_WORD.sub("-", folded).strip("-")
    if len(words) > limit:
        words = words[:limit].rsplit("-", 1)[0] if "-" in words[:limit] else words[:limit]
    return words or fallback


def make_stem(prompt: str, index: int | None = None, when: _dt.datetime | None = None, fallback: str = "media") -> str:
    """`YYYYmmdd-HHMMSS_<slug>[_NN]`: sortable, readable, and safe on every file system."""
    stamp = (when or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    suffix = f"_{index + 1:02d}" if index is not None else ""
    return f"{stamp}_{slug(prompt, fallback=fallback)}{suffix}"


def ensure_dir(directory: str | os.PathLike[str]) -> Path:
    """The output folder, created when missing; a clear error when it is a file or not writable."""
    path = Path(directory).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise GenerationInputError(f"output folder {path} is a file; choose a folder") from None
    except OSError as exc:
        raise GenerationInputError(f"output folder {path} cannot be created ({exc.strerror}); choose another") from None
    if not os.access(path, os.W_OK):
        raise GenerationInputError(f"output folder {path} is not writable; choose another")
    return path


class MediaWriter:
    """Collects one output's bytes in a temp file; `commit()` names it, `abort()` removes it."""

    def __init__(self, directory: str | os.PathLike[str], stem: str, expected: MediaType | None = None,
                 fallback_ext: str | None = None) -> None:
        self.directory = ensure_dir(directory)
        self.stem = stem
        self.expected = expected
        self.fallback_ext = fallback_ext
        self.bytes_written = 0
        self._temp = TempFile(self.directory, stem)
        self._done = False

    def write(self, data: bytes) -> None:
        self._temp.handle.write(data)
        self.bytes_written += len(data)

    def commit(self) -> MediaItem:
        """Flush, sniff, and keep under its final never-before-used name; the temp file goes away."""
        try:
            self._temp.finish()
            mime, media_type, ext = self._identify()
            final = self._temp.keep_as(f"{self.stem}.{ext}")
        except BaseException:
            self.abort()
            raise
        self._done = True
        return MediaItem(mime_type=mime, media_type=media_type, size_bytes=self.bytes_written, path=os.fspath(final),
                         filename=final.name)

    def abort(self) -> None:
        self._temp.discard()
        self._done = True

    def _identify(self) -> tuple[str, MediaType, str]:
        if self.bytes_written == 0:
            raise GenerationError("the provider returned an empty file")
        found = sniff(self._temp.path)
        if not found.known:
            if self.fallback_ext:
                return UNKNOWN_MIME, self.expected or found.media_type, self.fallback_ext
            raise GenerationError("the provider returned data of an unknown type")
        if self.expected is not None and found.media_type != self.expected:
            raise GenerationError(f"the provider returned {found.label}, not {self.expected.value}")
        return found.mime_type, found.media_type, found.extension

    def __enter__(self) -> "MediaWriter":
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if not self._done:
            self.abort()


def write_bytes_sync(directory: str | os.PathLike[str], stem: str, data: bytes, expected: MediaType | None = None,
                     fallback_ext: str | None = None) -> MediaItem:
    with MediaWriter(directory, stem, expected, fallback_ext) as writer:
        writer.write(data)
        return writer.commit()


async def write_bytes(directory: str | os.PathLike[str], stem: str, data: bytes, expected: MediaType | None = None,
                      fallback_ext: str | None = None) -> MediaItem:
    """Write whole content in a worker thread (disk and fsync never stall the event loop)."""
    return await asyncio.to_thread(write_bytes_sync, directory, stem, data, expected, fallback_ext)


async def write_base64(directory: str | os.PathLike[str], stem: str, b64: str, expected: MediaType | None = None) -> MediaItem:
    """Decode provider base64 and write it, both in a worker thread."""
    return await asyncio.to_thread(_decode_and_write, directory, stem, b64, expected)


def _decode_and_write(directory: str | os.PathLike[str], stem: str, b64: str, expected: MediaType | None) -> MediaItem:
    try:
        data = decode_base64(b64, "the output")
    except MediaError as exc:
        raise GenerationError(f"the provider returned invalid base64 ({exc.problem})") from None
    return write_bytes_sync(directory, stem, data, expected)

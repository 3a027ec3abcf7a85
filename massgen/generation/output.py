"""Writing generated media: atomic, never overwriting, named from the prompt, extension from content.

Bytes stream into a hidden temp file in the output folder; on commit the file is sniffed (magic
bytes, not what the provider claimed), and hard-linked to `<stem>.<real ext>`, which fails instead
of replacing an existing file, so a name is taken exactly once even by concurrent writers.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import errno
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from massgen.media.sniff import sniff
from massgen.stream_chunk import MediaType

from .errors import GenerationError, GenerationInputError

_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 40


@dataclass(frozen=True)
class WrittenFile:
    """A committed output: final path and what its content really is."""

    path: Path
    mime_type: str
    media_type: MediaType
    size_bytes: int


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
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{stem[:40]}.", suffix=".part")
        self._tmp = Path(tmp)
        self._handle = os.fdopen(fd, "wb")
        self._done = False

    def write(self, data: bytes) -> None:
        self._handle.write(data)
        self.bytes_written += len(data)

    def commit(self) -> WrittenFile:
        """Flush, sniff, and link to its final never-before-used name; the temp file goes away."""
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        try:
            mime, media_type, ext = self._identify()
            final = _claim(self._tmp, self.directory, self.stem, ext)
        except BaseException:
            self.abort()
            raise
        self._done = True
        return WrittenFile(final, mime, media_type, self.bytes_written)

    def abort(self) -> None:
        if not self._handle.closed:
            self._handle.close()
        self._tmp.unlink(missing_ok=True)
        self._done = True

    def _identify(self) -> tuple[str, MediaType, str]:
        if self.bytes_written == 0:
            raise GenerationError("the provider returned an empty file")
        found = sniff(self._tmp)
        if not found.known:
            if self.fallback_ext:
                return "application/octet-stream", self.expected or found.media_type, self.fallback_ext
            raise GenerationError("the provider returned data of an unknown type")
        if self.expected is not None and found.media_type != self.expected:
            raise GenerationError(f"the provider returned {found.label}, not {self.expected.value}")
        return found.mime_type, found.media_type, found.extension

    def __enter__(self) -> "MediaWriter":
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if not self._done:
            self.abort()


def _claim(tmp: Path, directory: Path, stem: str, ext: str) -> Path:
    """Link `tmp` to the first free `<stem>[-N].<ext>`; never replaces an existing file."""
    for n in range(1, 10_000):
        final = directory / (f"{stem}.{ext}" if n == 1 else f"{stem}-{n}.{ext}")
        try:
            os.link(tmp, final)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            if not _reserve(final):
                continue
            os.replace(tmp, final)
            return final
        tmp.unlink(missing_ok=True)
        return final
    raise GenerationError(f"no free file name for {stem}.{ext} in {directory}; clean the folder")


def _reserve(final: Path) -> bool:
    """Create `final` exclusively (file systems without hard links); False when it exists."""
    try:
        os.close(os.open(final, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except FileExistsError:
        return False
    return True


def write_bytes_sync(directory: str | os.PathLike[str], stem: str, data: bytes, expected: MediaType | None = None,
                     fallback_ext: str | None = None) -> WrittenFile:
    with MediaWriter(directory, stem, expected, fallback_ext) as writer:
        writer.write(data)
        return writer.commit()


async def write_bytes(directory: str | os.PathLike[str], stem: str, data: bytes, expected: MediaType | None = None,
                      fallback_ext: str | None = None) -> WrittenFile:
    """Write whole content in a worker thread (disk and fsync never stall the event loop)."""
    return await asyncio.to_thread(write_bytes_sync, directory, stem, data, expected, fallback_ext)


async def write_base64(directory: str | os.PathLike[str], stem: str, b64: str, expected: MediaType | None = None) -> WrittenFile:
    """Decode provider base64 and write it, both in a worker thread."""
    return await asyncio.to_thread(_decode_and_write, directory, stem, b64, expected)


def _decode_and_write(directory: str | os.PathLike[str], stem: str, b64: str, expected: MediaType | None) -> WrittenFile:
    import base64
    import binascii

    text = b64.split(",", 1)[1] if b64.startswith("data:") else b64
    try:
        if "-" in text or "_" in text:
            data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        else:
            data = base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise GenerationError(f"the provider returned invalid base64 ({exc})") from None
    return write_bytes_sync(directory, stem, data, expected)

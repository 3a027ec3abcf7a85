"""One media part of an internal message, seen the same way by every converter.

Every source goes through `massgen.media.MediaRef` (paths probed, base64 checked and sniffed, URL
types guessed); inline payloads are the ref's cached base64 text, so converters share one string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from massgen.media.errors import MediaError
from massgen.media.item import MediaItem
from massgen.media.kinds import UNKNOWN_MIME, MediaType
from massgen.media.ref import MediaRef

from .errors import MessageFormatError

MEDIA_KINDS = {t.value: t for t in (MediaType.IMAGE, MediaType.AUDIO, MediaType.VIDEO, MediaType.DOCUMENT)}
SOURCE_KEYS = ("ref", "path", "base64", "url", "file_id")
_INLINE_KINDS = ("path", "bytes", "base64")


@dataclass
class MediaPart:
    """A message's media resolved for sending: the item as the message names it (its kind, a MIME type in
    the spelling providers document, its name), the ref whose base64 is encoded once and shared, or the
    one-line `problem` that keeps it from being read."""

    item: MediaItem
    ref: MediaRef | None = None
    problem: str | None = None

    @property
    def kind(self) -> MediaType:
        return self.item.media_type

    @property
    def source(self) -> str:
        """How it travels: "url", "file_id", or "inline" (base64 of bytes held here)."""
        return "url" if self.item.url else "file_id" if self.item.file_id else "inline"

    @property
    def label(self) -> str:
        """How a note names it: its file name, URL or file id (nothing for unnamed inline data)."""
        return self.item.filename or self.item.url or self.item.file_id or ""

    @property
    def mime(self) -> str | None:
        """The MIME type, None when unknown."""
        return None if self.item.mime_type == UNKNOWN_MIME else self.item.mime_type

    def base64(self) -> str:
        """The ref's base64 text: encoded once and cached on the ref (paths also share a global cache)."""
        assert self.ref is not None
        return self.ref.base64()

    def data_url(self) -> str:
        """`data:<mime>;base64,...` around the shared base64 (a data URL is one string, so one joined copy)."""
        return f"data:{self.item.mime_type};base64,{self.base64()}"


def parse_media(item: Mapping[str, Any], where: str) -> MediaPart:
    """Resolve one image/audio/video/document item; media that cannot be read become `problem`, not exceptions."""
    kind = MEDIA_KINDS[item["type"]]
    present = [k for k in SOURCE_KEYS if item.get(k) is not None]
    if len(present) != 1:
        found = ", ".join(present) or "none"
        raise MessageFormatError(where, f"the {kind.value} item needs exactly one source (found: {found})",
                                 f"give one of {', '.join(SOURCE_KEYS)}")
    key = present[0]
    filename = item.get("filename") if isinstance(item.get("filename"), str) else None
    if key == "ref":
        return from_ref(kind, item["ref"], filename, where)
    value = item[key]
    if not isinstance(value, str) or not value:
        raise MessageFormatError(where, f"{key!r} must be a non-empty string", f"give the {key} as text")
    try:
        ref = _make_ref(key, value, item.get("mime_type"), filename, where)
    except MediaError as exc:
        name = filename or (_basename(value) if key == "path" else None)
        return MediaPart(MediaItem(mime_type=UNKNOWN_MIME, media_type=kind, filename=name), problem=str(exc))
    return from_ref(kind, ref, filename, where)


def _make_ref(key: str, value: str, mime: Any, filename: str | None, where: str) -> MediaRef:
    mime = mime if isinstance(mime, str) else None
    if key == "path":
        return MediaRef.from_path(value)
    if key == "url":
        return MediaRef.from_url(value, mime, filename)
    if key == "file_id":
        return MediaRef.from_file_id(value, mime_type=mime, filename=filename)
    if mime is None and not value.startswith("data:"):
        raise MessageFormatError(where, "a base64 item has no 'mime_type'",
                                 "add mime_type (e.g. image/png), or give the media as a MediaRef")
    return MediaRef.from_base64(value, mime, filename)


def from_ref(kind: MediaType, ref: Any, filename: str | None, where: str) -> MediaPart:
    """A MediaPart around a MediaRef: the ref's item, as this message item names it."""
    if not isinstance(ref, MediaRef) or ref.kind not in (*_INLINE_KINDS, "url", "file_id"):
        raise MessageFormatError(where, f"'ref' is a {type(ref).__name__}, not a MediaRef",
                                 "wrap the media in massgen.media.MediaRef")
    source = ref.item
    item = MediaItem(mime_type=normalise_mime(source.mime_type) or UNKNOWN_MIME, media_type=kind,
                     filename=filename or source.filename, url=source.url, file_id=source.file_id,
                     size_bytes=source.size_bytes if ref.kind in _INLINE_KINDS else None)
    return MediaPart(item, ref)


def normalise_mime(mime: Any) -> str | None:
    """Lower-case without parameters, common aliases mapped; None when unknown (octet-stream says nothing)."""
    if not isinstance(mime, str) or "/" not in mime:
        return None
    base = mime.split(";", 1)[0].strip().lower()
    base = _MIME_ALIASES.get(base, base)
    return None if base == "application/octet-stream" else base


def _basename(path: str) -> str:
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or path


# Declared types (URLs, file ids, mime_type fields) in the spellings providers document; sniffed
# types already come out of massgen.media.sniff in these spellings.
_MIME_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "audio/wave": "audio/wav",
    "audio/x-wav": "audio/wav",
    "audio/mp3": "audio/mpeg",
    "audio/x-aiff": "audio/aiff",
    "audio/x-flac": "audio/flac",
    "application/x-pdf": "application/pdf",
}

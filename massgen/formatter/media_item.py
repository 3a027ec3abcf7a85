"""One media item of an internal message, seen the same way by every converter.

Every source goes through `massgen.media.MediaRef` (paths probed, base64 checked and sniffed, URL
types guessed); inline payloads are the ref's cached base64 text, so converters share one string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from massgen.media.errors import MediaError
from massgen.stream_chunk import MediaType

from .errors import MessageFormatError

MEDIA_KINDS = {t.value: t for t in (MediaType.IMAGE, MediaType.AUDIO, MediaType.VIDEO, MediaType.DOCUMENT)}
SOURCE_KEYS = ("ref", "path", "base64", "url", "file_id")
_INLINE_KINDS = ("path", "bytes", "base64")


@dataclass
class Media:
    """A media item resolved for sending: `source` is "inline", "url" or "file_id"."""

    kind: MediaType
    source: str
    label: str = ""
    mime_type: str | None = None
    filename: str | None = None
    url: str | None = None
    file_id: str | None = None
    size_bytes: int | None = None
    problem: str | None = None
    ref: Any = None

    def base64(self) -> str:
        """The ref's base64 text: encoded once and cached on the ref (paths also share a global cache)."""
        return self.ref.base64()

    def data_url(self) -> str:
        """`data:<mime>;base64,...` around the shared base64 (a data URL is one string, so one joined copy)."""
        return f"data:{self.mime_type};base64,{self.ref.base64()}"


def parse_media(item: Mapping[str, Any], where: str) -> Media:
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
        label = filename or (_basename(value) if key == "path" else "")
        return Media(kind, "inline", label=label, filename=filename, problem=str(exc))
    return from_ref(kind, ref, filename, where)


def _make_ref(key: str, value: str, mime: Any, filename: str | None, where: str) -> Any:
    from massgen.media.ref import MediaRef

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


def from_ref(kind: MediaType, ref: Any, filename: str | None, where: str) -> Media:
    """A Media view of a MediaRef: its own source kind, MIME type, size and name."""
    ref_kind = getattr(ref, "kind", None)
    if ref_kind not in (*_INLINE_KINDS, "url", "file_id") or not hasattr(ref, "base64"):
        raise MessageFormatError(where, f"'ref' is a {type(ref).__name__}, not a MediaRef",
                                 "wrap the media in massgen.media.MediaRef")
    name = filename or ref.filename
    mime = normalise_mime(ref.mime_type)
    if ref_kind == "url":
        return Media(kind, "url", label=name or ref.url, mime_type=mime, filename=name, url=ref.url, ref=ref)
    if ref_kind == "file_id":
        return Media(kind, "file_id", label=name or ref.file_id, mime_type=mime, filename=name,
                     file_id=ref.file_id, ref=ref)
    return Media(kind, "inline", label=name or "", mime_type=mime, filename=name, size_bytes=ref.size_bytes, ref=ref)


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

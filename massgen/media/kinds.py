"""The kinds of media (MediaType) and which kind a MIME type is."""

from __future__ import annotations

from enum import Enum

UNKNOWN_MIME = "application/octet-stream"

_DOCUMENT_MIMES = {
    "application/pdf", "application/json", "application/xml", "image/svg+xml", "application/rtf",
    "application/epub+zip", "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
}
_DOCUMENT_PREFIXES = ("text/", "application/vnd.openxmlformats-officedocument.", "application/vnd.oasis.opendocument.")


class MediaType(Enum):
    """Kinds of media a chunk, a message or a file can hold."""

    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    FILE = "file"
    DOCUMENT = "document"


def media_type_for(mime: str) -> MediaType:
    """The MediaType of a MIME type (SVG counts as a document: it is text, not pixels)."""
    if mime in _DOCUMENT_MIMES or mime.startswith(_DOCUMENT_PREFIXES):
        return MediaType.DOCUMENT
    for prefix, kind in (("image/", MediaType.IMAGE), ("audio/", MediaType.AUDIO), ("video/", MediaType.VIDEO)):
        if mime.startswith(prefix):
            return kind
    return MediaType.FILE

"""What a file really is, from its first few KB: never from its name.

puremagic (pure Python, maintained, ~500 signatures) does the general work; `signatures` adds the
containers where it is weak, and a text check catches what has no magic number at all."""

from __future__ import annotations

import codecs
import mimetypes
import re
from dataclasses import dataclass

from . import signatures
from .fileio import PathLike, open_file, reading
from .kinds import UNKNOWN_MIME, MediaType, media_type_for

SNIFF_BYTES = 4096

# puremagic's legacy or alternative names -> the names providers document.
_MIME_ALIASES = {
    "image/x-ms-bmp": "image/bmp",
    "image/jpg": "image/jpeg",
    "audio/wave": "audio/wav",
    "audio/x-wav": "audio/wav",
    "audio/x-aiff": "audio/aiff",
    "audio/x-flac": "audio/flac",
    "audio/mp3": "audio/mpeg",
    "video/avi": "video/x-msvideo",
    "video/x-ms-asf": "video/x-ms-wmv",
    "application/x-matroska": "video/x-matroska",
    "application/x-pdf": "application/pdf",
    "video/dvd": "video/mpeg",  # puremagic names any MPEG program stream after DVD's .vob
}
_PREFERRED_EXT = {"image/jpeg": "jpg", "image/tiff": "tiff", "audio/mpeg": "mp3", "audio/aiff": "aiff",
                  "video/mpeg": "mpg"}
_LABELS = {"text/plain": "plain text", UNKNOWN_MIME: "unrecognised binary data", "application/json": "JSON text",
           "text/html": "an HTML page", "image/svg+xml": "an SVG drawing", "application/zip": "a ZIP archive",
           "application/pdf": "a PDF document", "image/jpeg": "a JPEG image"}
_KIND_WORDS = {MediaType.IMAGE: "image", MediaType.AUDIO: "audio", MediaType.VIDEO: "video",
               MediaType.DOCUMENT: "document", MediaType.FILE: "file"}
_VOWEL_SOUND_LETTERS = set("AEFHILMNORSX")  # letters read aloud with a vowel sound: "an MP4", "a PNG"
_TEXT_CONTROLS = set(range(0, 32)) - {9, 10, 12, 13, 8, 27}
_JSON_START = re.compile(rb'^\s*(\{\s*["}]|\[\s*[-\d"\[{\]tfn])')
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Sniffed:
    """The type found from content: MIME, massgen media type, usual extension (no dot), and words for messages."""

    mime_type: str
    media_type: MediaType
    extension: str
    label: str = ""

    @property
    def known(self) -> bool:
        return self.mime_type != UNKNOWN_MIME


def sniff(source: PathLike | bytes | bytearray | memoryview) -> Sniffed:
    """Sniff in-memory content (bytes-like), or a path's first SNIFF_BYTES after the file-kind checks.

    bytes are always content; pass a bytes path as os.fsdecode(path) or a pathlib.Path."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return sniff_bytes(bytes(source[:SNIFF_BYTES]))
    raw, _ = open_file(source)
    with reading(source), raw:
        return sniff_bytes(raw.read(SNIFF_BYTES) or b"")


def sniff_bytes(head: bytes) -> Sniffed:
    """Sniff the first bytes of some content."""
    if not head:
        return make_sniffed(UNKNOWN_MIME, "bin")
    own = signatures.detect(head)
    if own:
        return make_sniffed(*own)
    candidates = _puremagic_candidates(head)
    strong = [c for c in candidates if c[2] >= 0.4]
    if strong and not _is_markup(strong[0][0]):
        return make_sniffed(strong[0][0], strong[0][1])
    text = _text_type(head)
    if text:
        return make_sniffed(*text)
    if candidates:
        return make_sniffed(candidates[0][0], candidates[0][1])
    return make_sniffed(UNKNOWN_MIME, "bin")


def make_sniffed(mime: str, ext: str) -> Sniffed:
    """A Sniffed with the provider-facing MIME name, usual extension and a label for messages."""
    mime = _MIME_ALIASES.get(mime, mime)
    ext = _PREFERRED_EXT.get(mime) or ext.lstrip(".") or (mimetypes.guess_extension(mime) or ".bin").lstrip(".")
    media_type = media_type_for(mime)
    article = "an" if ext[:1].upper() in _VOWEL_SOUND_LETTERS else "a"
    label = _LABELS.get(mime) or f"{article} {ext.upper()} {_KIND_WORDS[media_type]}"
    return Sniffed(mime, media_type, ext, label)



def _puremagic_candidates(head: bytes) -> list[tuple[str, str, float]]:
    """puremagic's matches with a MIME type, best first, as (mime, extension, confidence)."""
    import puremagic  # lazy: it parses its signature table on import

    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return []
    return [(m.mime_type, str(m.extension), m.confidence) for m in matches if m.mime_type]


def _is_markup(mime: str) -> bool:
    """Text types puremagic names from a prefix alone ('<?xml'); our text check refines them (SVG, HTML)."""
    return mime.startswith("text/") or mime in ("application/xml", "application/json")


def _text_type(head: bytes) -> tuple[str, str] | None:
    """(mime, ext) when `head` reads as text, refined to JSON, HTML, SVG or XML when it clearly is one."""
    if not _is_text(head):
        return None
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<?xml") or start.startswith(b"<svg"):
        return ("image/svg+xml", "svg") if b"<svg" in head.lower() else ("application/xml", "xml")
    if start.startswith(b"<!doctype html") or start.startswith(b"<html"):
        return "text/html", "html"
    if _JSON_START.match(start):
        return "application/json", "json"
    return "text/plain", "txt"


def _is_text(head: bytes) -> bool:
    """BOM-marked Unicode, or bytes with no NUL and almost no control characters (UTF-8 or 8-bit text)."""
    if head.startswith(_BOMS):
        return True
    if b"\0" in head:
        return False
    return sum(1 for b in head if b in _TEXT_CONTROLS) <= len(head) // 100

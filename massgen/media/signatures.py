"""Our own magic-byte checks, only for containers where puremagic is weak: it reports M4A as video/mp4,
Ogg as application/ogg, any ZIP as .docx, HEIC as generic HEIF, BMP and WAV under legacy MIME names,
and raw MP3/AAC frames with little confidence. Each returns (mime_type, extension) or None."""

from __future__ import annotations

from collections.abc import Callable

Match = tuple[str, str] | None

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_AUDIO_MP4_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_RIFF_FORMS = {b"WEBP": ("image/webp", "webp"), b"WAVE": ("audio/wav", "wav"), b"AVI ": ("video/x-msvideo", "avi")}
_OGG_CODECS = (
    (b"\x01vorbis", "audio/ogg", "ogg"),
    (b"OpusHead", "audio/ogg", "opus"),
    (b"\x7fFLAC", "audio/ogg", "oga"),
    (b"Speex   ", "audio/ogg", "spx"),
    (b"\x80theora", "video/ogg", "ogv"),
)
_BMP_DIB_SIZES = {12, 16, 40, 52, 56, 64, 108, 124}
_OFFICE_PARTS = (
    (b"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    (b"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    (b"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
)
_ZIP_MIMETYPE_EXT = {
    "application/epub+zip": "epub",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}


def riff(head: bytes) -> Match:
    """RIFF/RF64 containers: WebP, WAV and AVI, told apart by their form type."""
    if head[:4] in (b"RIFF", b"RF64") and len(head) >= 12:
        return _RIFF_FORMS.get(head[8:12])
    return None


def iso_bmff(head: bytes) -> Match:
    """ISO base media files (MP4, M4A, MOV, 3GP, HEIC, AVIF), told apart by their ftyp brands."""
    if head[4:8] != b"ftyp" or len(head) < 16:
        return None
    box_size = int.from_bytes(head[0:4], "big")
    major = head[8:12]
    brands = {major} | {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if b"avif" in brands or b"avis" in brands:
        return "image/avif", "avif"
    if brands & _HEIC_BRANDS:
        return "image/heic", "heic"
    if major in (b"mif1", b"msf1"):
        return "image/heif", "heif"
    if major in _AUDIO_MP4_BRANDS:
        return "audio/mp4", "m4a"
    if major == b"qt  ":
        return "video/quicktime", "mov"
    if major.startswith(b"3g2"):
        return "video/3gpp2", "3g2"
    if major.startswith(b"3gp"):
        return "video/3gpp", "3gp"
    return "video/mp4", "mp4"


def ogg(head: bytes) -> Match:
    """Ogg pages: the first packet names the codec, so audio and video can be told apart."""
    if head[:4] != b"OggS" or len(head) < 28:
        return None
    packet = head[27 + head[26] :]
    for magic, mime, ext in _OGG_CODECS:
        if packet.startswith(magic):
            return mime, ext
    return "application/ogg", "ogx"


def ebml(head: bytes) -> Match:
    """Matroska and WebM share the EBML header; its DocType says which."""
    if head[:4] != b"\x1a\x45\xdf\xa3":
        return None
    if b"webm" in head[:64]:
        return "video/webm", "webm"
    return "video/x-matroska", "mkv"


def bmp(head: bytes) -> Match:
    """'BM' alone also starts text such as 'BMW'; require zero reserved bytes and a known DIB header size."""
    if head[:2] != b"BM" or len(head) < 18 or head[6:10] != b"\0\0\0\0":
        return None
    if int.from_bytes(head[14:18], "little") in _BMP_DIB_SIZES:
        return "image/bmp", "bmp"
    return None


def zip_family(head: bytes) -> Match:
    """ZIP, and the formats built on it (OOXML, OpenDocument, EPUB), from the first entries' names."""
    if head[:4] != b"PK\x03\x04" or len(head) < 30:
        return None
    name_len = int.from_bytes(head[26:28], "little")
    extra_len = int.from_bytes(head[28:30], "little")
    if head[30 : 30 + name_len] == b"mimetype":
        start = 30 + name_len + extra_len
        declared = head[start : start + int.from_bytes(head[18:22], "little")].decode("ascii", "replace")
        if declared in _ZIP_MIMETYPE_EXT:
            return declared, _ZIP_MIMETYPE_EXT[declared]
    for marker, mime, ext in _OFFICE_PARTS:
        if marker in head:
            return mime, ext
    return "application/zip", "zip"


def mpeg_audio(head: bytes) -> Match:
    """Raw MPEG audio and ADTS AAC frames (no ID3 tag): a frame sync with valid header fields."""
    if len(head) < 4 or head[0] != 0xFF or (head[1] & 0xE0) != 0xE0:
        return None
    b1, b2 = head[1], head[2]
    if (b1 & 0xF6) == 0xF0:  # ADTS: layer bits 00
        return ("audio/aac", "aac") if ((b2 >> 2) & 0x0F) < 13 else None
    version, layer = (b1 >> 3) & 3, (b1 >> 1) & 3
    if version == 1 or layer == 0 or (b2 >> 4) == 0x0F or ((b2 >> 2) & 3) == 3:
        return None
    return "audio/mpeg", "mp3" if layer == 1 else "mp2"


def mpeg_ts(head: bytes) -> Match:
    """MPEG transport stream: the sync byte 0x47 every 188 bytes (puremagic has no signature for it)."""
    if len(head) > 376 and head[0] == head[188] == head[376] == 0x47:
        return "video/mp2t", "ts"
    return None


DETECTORS: tuple[Callable[[bytes], Match], ...] = (riff, iso_bmff, ogg, ebml, bmp, zip_family, mpeg_audio, mpeg_ts)


def detect(head: bytes) -> Match:
    """The first of our own checks that recognises `head`, or None."""
    for check in DETECTORS:
        found = check(head)
        if found:
            return found
    return None

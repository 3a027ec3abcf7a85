"""What an attachment is and how big, from its headers: stat first, then the first few KB.

Never reads a whole file: image dimensions come from Pillow's lazy header parse, durations from
mutagen's header parse, and completeness from a few bytes at the offsets the format names."""

from __future__ import annotations

import io
import mimetypes
import os
from typing import BinaryIO

from .errors import MediaError
from .fileio import PathLike, normalise_path, open_file, reading
from .imaging import PIL_FORMATS, open_image
from .integrity import TRUNCATED, completeness_problem
from .item import MediaItem
from .kinds import MediaType, media_type_for
from .sniff import SNIFF_BYTES, Sniffed, sniff_bytes

_KIND_NAMES = {MediaType.IMAGE: "an image", MediaType.AUDIO: "an audio file", MediaType.VIDEO: "a video"}
_AV = {MediaType.AUDIO, MediaType.VIDEO}  # containers carry either; a sound-only .mp4 is fine
_AMBIGUOUS_EXTENSIONS = {".ts"}  # TypeScript far more often than MPEG transport streams
_MUTAGEN_TYPES = {
    "audio/mpeg": ("mp3", "MP3"), "audio/wav": ("wave", "WAVE"), "audio/flac": ("flac", "FLAC"),
    "audio/aiff": ("aiff", "AIFF"), "audio/aac": ("aac", "AAC"), "video/x-ms-wmv": ("asf", "ASF"),
    "audio/mp4": ("mp4", "MP4"), "video/mp4": ("mp4", "MP4"), "video/quicktime": ("mp4", "MP4"),
    "video/3gpp": ("mp4", "MP4"), "audio/ogg": ("oggvorbis", "OggVorbis"), "video/ogg": ("oggtheora", "OggTheora"),
}
_OGG_BY_EXTENSION = {"opus": ("oggopus", "OggOpus"), "oga": ("oggflac", "OggFLAC"), "spx": ("oggspeex", "OggSpeex")}


def probe(path: PathLike) -> MediaItem:
    """Check and measure one file; bad input raises MediaError with a one-line message."""
    return probe_reading(path)[0]


def probe_reading(path: PathLike) -> tuple[MediaItem, int]:
    """What `probe` finds, and how many bytes of the file it read to find it (headers only, by design)."""
    path = normalise_path(path)
    raw, st = open_file(path)
    with reading(path), raw:
        head = raw.read(SNIFF_BYTES) or b""
        with io.BufferedReader(raw, SNIFF_BYTES) as buffered:
            found, width, height, duration = _inspect(buffered, head, st.st_size, path)
            bytes_read = raw.bytes_read
    text_path = os.fsdecode(path)
    item = MediaItem(
        mime_type=found.mime_type, media_type=found.media_type, size_bytes=st.st_size, width=width, height=height,
        duration_seconds=duration, filename=os.path.basename(text_path), path=text_path, extension=found.extension,
        label=found.label, realpath=os.path.realpath(text_path), mtime_ns=st.st_mtime_ns,
    )
    return item, bytes_read


def probe_bytes(data: bytes | bytearray | memoryview, name: str = "(attached bytes)") -> MediaItem:
    """The same checks for content already in memory; `name` (a filename, if any) is used in messages."""
    view = memoryview(data)
    if not len(view):
        raise MediaError(name, "is empty (0 bytes)", "attach something that has content")
    reader = io.BytesIO(view)
    found, width, height, duration = _inspect(reader, bytes(view[:SNIFF_BYTES]), len(view), name)
    return MediaItem(
        mime_type=found.mime_type, media_type=found.media_type, size_bytes=len(view), width=width, height=height,
        duration_seconds=duration, filename=os.path.basename(name), extension=found.extension, label=found.label,
    )


def _inspect(reader: BinaryIO, head: bytes, size: int,
             name: PathLike) -> tuple[Sniffed, int | None, int | None, float | None]:
    """Sniff, check the name, the completeness and the image header, and read the duration."""
    found = sniff_bytes(head)
    check_name_matches(name, found)
    problem = completeness_problem(reader, found.mime_type, size)
    if problem:
        raise _incomplete(name, found, problem)
    width, height = _image_size(reader, name, found)
    return found, width, height, _duration(reader, found)


def check_name_matches(path: PathLike, found: Sniffed) -> None:
    """A name that promises an image, sound, video or PDF must hold one (a .png that is text is refused)."""
    name = os.fsdecode(path)
    if os.path.splitext(name)[1].lower() in _AMBIGUOUS_EXTENSIONS:
        return
    claimed_mime = mimetypes.guess_type(name, strict=False)[0]
    if not claimed_mime:
        return
    claimed = media_type_for(claimed_mime)
    if claimed == MediaType.DOCUMENT and claimed_mime == "application/pdf" and found.mime_type != claimed_mime:
        raise MediaError(path, f"not a PDF document (it is {found.label})", "attach the real file")
    if claimed not in _KIND_NAMES or found.media_type == claimed or {claimed, found.media_type} <= _AV:
        return
    raise MediaError(path, f"not {_KIND_NAMES[claimed]} (it is {found.label})", "attach the real file")


def _image_size(reader: BinaryIO, path: PathLike, found: Sniffed) -> tuple[int | None, int | None]:
    """Width and height from the header, for the formats Pillow decodes here."""
    if found.mime_type not in PIL_FORMATS:
        return None, None
    reader.seek(0)
    with open_image(reader, path, found.mime_type, found.label) as image:
        return image.size


def _incomplete(path: PathLike, found: Sniffed, problem: str) -> MediaError:
    what = found.label.split(" ", 1)[-1]
    if problem == TRUNCATED:
        return MediaError(path, f"truncated {what} (the file ends before its data does)", "re-download or re-export it")
    return MediaError(path, f"damaged {what} ({problem})", "re-export or re-download it")


def _duration(reader: BinaryIO, found: Sniffed) -> float | None:
    """Audio/video length from the container header, where mutagen reads it cheaply; None otherwise."""
    choice = _OGG_BY_EXTENSION.get(found.extension) or _MUTAGEN_TYPES.get(found.mime_type)
    if choice is None:
        return None
    import importlib

    from mutagen import MutagenError

    module_name, class_name = choice
    file_type = getattr(importlib.import_module(f"mutagen.{module_name}"), class_name)
    reader.seek(0)
    try:
        length = file_type(reader).info.length
    except (MutagenError, OSError, ValueError, EOFError, AttributeError):
        return None  # the duration is a nicety; the provider reports real damage
    return round(float(length), 3) if length and length > 0 else None

"""Media as the widgets see it: where the bytes are, what is known about them, and blocking helpers.

Everything here that reads or decodes runs in a thread worker, never on the event loop.
"""

from __future__ import annotations

import base64
import binascii
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlparse

from PIL import Image as PILImage

from massgen.session.files import write_new
from massgen.session.names import safe_filename
from massgen.stream_chunk import MediaEncoding, MediaMetadata, MultimodalStreamChunk

_ICONS = {"image": "▣", "audio": "♪", "video": "▶", "document": "▤", "file": "▤"}


class MediaUnavailable(ValueError):
    """The media cannot be shown or opened; the message says why in one line."""


@dataclass
class MediaSource:
    """One media item: a path, bytes or a remote reference, plus its metadata."""

    media_type: str
    media_id: str | None = None
    agent_id: str | None = None
    path: Path | None = None
    data: bytes | None = None
    url: str | None = None
    file_id: str | None = None
    metadata: MediaMetadata | None = None
    version_key: str = field(default="")
    version_label: str = ""  # "v2 of poster.png" for an edited image; empty for a first version

    @property
    def label(self) -> str:
        """The file name, or a name made from the type and id."""
        if self.metadata and self.metadata.filename:
            return self.metadata.filename
        if self.path is not None:
            return self.path.name
        return f"{self.media_type}-{self.media_id or 'item'}"

    def short_label(self, width: int = 40) -> str:
        """The label (or "v2 of <label>"), shortened in the middle (keeping the extension) when it is long."""
        label = self.version_label or self.label
        if len(label) <= width:
            return label
        keep = width - 1
        return label[: keep - keep // 3] + "…" + label[-(keep // 3):]

    @property
    def size_bytes(self) -> int | None:
        """Size from metadata, the held bytes, or the file on disk."""
        if self.metadata and self.metadata.size_bytes is not None:
            return self.metadata.size_bytes
        if self.data is not None:
            return len(self.data)
        if self.path is not None:
            try:
                return self.path.stat().st_size
            except OSError:
                return None
        return None

    def describe(self) -> str:
        """`▣ image · name · 512×512 · 1.2 MB · 0:42`: the facts a user wants at a glance."""
        meta = self.metadata
        parts = [f"{_ICONS.get(self.media_type, '▤')} {self.media_type}", self.short_label()]
        if meta and meta.width and meta.height:
            parts.append(f"{meta.width}×{meta.height}")
        size = self.size_bytes
        if size is not None:
            parts.append(human_size(size))
        if meta and meta.duration_seconds is not None:
            parts.append(human_duration(meta.duration_seconds))
        return " · ".join(parts)


def version_label(version: int, root: str) -> str:
    """"v2 of poster.png" for a later version of an image; empty for the first."""
    return f"v{version} of {root}" if version > 1 else ""


def human_size(size: int) -> str:
    """Bytes in the largest unit that keeps the number readable."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def human_duration(seconds: float) -> str:
    """m:ss (or h:mm:ss) for a duration."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _decode_base64(text: str, what: str) -> bytes:
    try:
        data = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MediaUnavailable(f"{what}: the base64 data is malformed ({exc})") from exc
    if not data:
        raise MediaUnavailable(f"{what}: the base64 data is empty")
    return data


def source_from_chunk(chunk: MultimodalStreamChunk) -> MediaSource:
    """A MediaSource for a MEDIA or MEDIA_PROGRESS chunk; data URLs and base64 become bytes."""
    media_type = chunk.media_type.value if chunk.media_type else "file"
    source = MediaSource(media_type=media_type, media_id=chunk.media_id, agent_id=chunk.source,
                         metadata=chunk.media_metadata)
    data, encoding = chunk.media_data, chunk.media_encoding
    what = f"{media_type} {chunk.media_id or ''}".strip()
    if data is None:
        pass
    elif encoding == MediaEncoding.FILE_PATH:
        source.path = Path(os.fspath(data))
    elif encoding == MediaEncoding.BASE64:
        source.data = _decode_base64(str(data), what)
    elif encoding == MediaEncoding.BINARY or isinstance(data, (bytes, bytearray, memoryview)):
        source.data = bytes(data)
    elif encoding == MediaEncoding.FILE_ID:
        source.file_id = str(data)
    elif encoding == MediaEncoding.URL:
        _set_from_url(source, str(data), what)
    continuation = chunk.media_metadata.continuation_id if chunk.media_metadata else None
    source.version_key = continuation or chunk.media_id or source.label
    return source


def _set_from_url(source: MediaSource, url: str, what: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme == "data":
        header, _, payload = url.partition(",")
        raw = _decode_base64(payload, what) if header.endswith(";base64") else unquote_to_bytes(payload)
        source.data = raw
    elif parsed.scheme == "file":
        source.path = Path(unquote_to_bytes(parsed.path).decode("utf-8", "surrogateescape"))
    else:
        source.url = url


def read_bytes(source: MediaSource) -> bytes:
    """The media's bytes (blocking: call from a thread)."""
    if source.data is not None:
        return source.data
    if source.path is not None:
        try:
            return source.path.read_bytes()
        except OSError as exc:
            raise MediaUnavailable(f"{source.path}: cannot be read ({exc.strerror or exc})") from exc
    where = source.url or source.file_id or "nowhere"
    raise MediaUnavailable(f"{source.label}: only a remote reference is known ({where}); it is not downloaded")


def load_thumbnail(source: MediaSource, max_px: int) -> PILImage.Image:
    """Decode the image and shrink it to at most `max_px` on its long side (blocking: call from a thread)."""
    opened = BytesIO(source.data) if source.data is not None else source.path
    if opened is None:
        read_bytes(source)  # raises the reason
    try:
        with PILImage.open(opened) as image:  # type: ignore[arg-type]
            original = image.size
            image.draft("RGB", (max_px, max_px))
            image.thumbnail((max_px, max_px), reducing_gap=2.0)
            thumb = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    except PILImage.DecompressionBombError as exc:
        raise MediaUnavailable(f"{source.label}: too many pixels to decode safely ({exc})") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaUnavailable(f"{source.label}: not a readable image ({exc})") from exc
    thumb.info["original_size"] = original  # sizing on screen follows the real picture, not the thumbnail
    return thumb


def original_size(thumb: PILImage.Image) -> tuple[int, int]:
    """The size of the picture a thumbnail was made from."""
    return thumb.info.get("original_size", thumb.size)


def system_viewer_command() -> list[str] | None:
    """The command that opens a file with the desktop's default application, if there is one."""
    if sys.platform == "darwin" and shutil.which("open"):
        return ["open"]
    for name in ("xdg-open", "gio"):
        found = shutil.which(name)
        if found:
            return [found, "open"] if name == "gio" else [found]
    return None


def open_with_system_viewer(target: Path | str) -> None:
    """Open a file (or a URL) with the system viewer, detached (blocking briefly: call from a thread)."""
    if isinstance(target, Path) and not target.exists():
        raise MediaUnavailable(f"{target}: the file is not there any more")
    if sys.platform == "win32":
        os.startfile(target)  # type: ignore[attr-defined]
        return
    command = system_viewer_command()
    if command is None:
        raise MediaUnavailable(f"no system viewer found (install xdg-utils for xdg-open); it is at {target}")
    subprocess.Popen([*command, str(target)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)


def viewer_target(source: MediaSource, folder: Path) -> Path | str:
    """What to hand the system viewer: the file (written into `folder` if only bytes are held) or the URL."""
    if source.path is None and source.data is None and source.url:
        return source.url
    return materialise(source, folder)


def materialise(source: MediaSource, folder: Path) -> Path:
    """A path on disk for the media, writing held bytes into `folder` (never overwriting) if needed (blocking)."""
    if source.path is not None:
        return source.path
    data = read_bytes(source)
    name = Path(source.label)
    source.path = write_new(folder, safe_filename(name.stem, name.suffix or "bin", "media"), data)
    return source.path

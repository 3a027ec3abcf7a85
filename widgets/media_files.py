"""Media files for the widgets: read, decode into a thumbnail, open with the system viewer. Each takes
the massgen.media.MediaItem it works on; everything here blocks, so widgets call it from a thread worker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

from PIL import Image as PILImage

from massgen.files import write_new
from massgen.media.item import MediaItem
from massgen.session.names import safe_filename


class MediaUnavailable(ValueError):
    """The media cannot be shown or opened; the message says why in one line."""


def read_bytes(item: MediaItem) -> bytes:
    """The media's bytes (blocking: call from a thread)."""
    if item.data is not None:
        return item.data
    if item.path is not None:
        try:
            return Path(item.path).read_bytes()
        except OSError as exc:
            raise MediaUnavailable(f"{item.path}: cannot be read ({exc.strerror or exc})") from exc
    where = item.url or item.file_id or "nowhere"
    raise MediaUnavailable(f"{item.name}: only a remote reference is known ({where}); it is not downloaded")


def load_thumbnail(item: MediaItem, max_px: int) -> PILImage.Image:
    """Decode the image and shrink it to at most `max_px` on its long side (blocking: call from a thread)."""
    opened: BytesIO | str = BytesIO(item.data) if item.data is not None else item.path or ""
    if not opened:
        read_bytes(item)  # raises the reason
    try:
        with PILImage.open(opened) as image:
            original = image.size
            image.draft("RGB", (max_px, max_px))
            image.thumbnail((max_px, max_px), reducing_gap=2.0)
            thumb = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    except PILImage.DecompressionBombError as exc:
        raise MediaUnavailable(f"{item.name}: too many pixels to decode safely ({exc})") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaUnavailable(f"{item.name}: not a readable image ({exc})") from exc
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


def viewer_target(item: MediaItem, folder: Path) -> Path | str:
    """What to hand the system viewer: the file (written into `folder` if only bytes are held) or the URL."""
    if item.path is None and item.data is None and item.url:
        return item.url
    return materialise(item, folder)


def materialise(item: MediaItem, folder: Path) -> Path:
    """A path on disk for the media, writing held bytes into `folder` (never overwriting) if needed (blocking)."""
    if item.path is not None:
        return Path(item.path)
    data = read_bytes(item)
    name = Path(item.name)
    return write_new(folder, safe_filename(name.stem, name.suffix or "bin", "media"), data)

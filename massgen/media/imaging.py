"""Pillow behind one door: lazy import, header-only open, the decompression-bomb guard, and
Pillow's many exception types turned into one MediaError that names the file."""

from __future__ import annotations

import re
import struct
import warnings
from types import ModuleType
from typing import IO, TYPE_CHECKING

from .errors import MediaError, one_line
from .fileio import PathLike

if TYPE_CHECKING:
    from PIL import Image as PILImage

# Pillow refuses images over 2 x Image.MAX_IMAGE_PIXELS (178,956,970) on open; we use the same line,
# checked from the header, so a bomb is refused before a single pixel is decoded.
MAX_IMAGE_PIXELS = 178_956_970

# What Pillow's format plugins raise on malformed data (found by fuzzing them; see the tests).
PIL_DECODE_ERRORS: tuple[type[BaseException], ...] = (
    OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, KeyError, TypeError, ZeroDivisionError,
)

# The sniffed MIME types Pillow decodes here, and the plugin that must do it.
PIL_FORMATS = {
    "image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP", "image/bmp": "BMP",
    "image/tiff": "TIFF", "image/avif": "AVIF", "image/x-icon": "ICO",
}

_warning_filter_installed = False


def pil_image() -> ModuleType:
    """The PIL.Image module, imported on first use (it costs start-up time)."""
    global _warning_filter_installed
    from PIL import Image

    if not _warning_filter_installed:
        # We check pixel counts ourselves against MAX_IMAGE_PIXELS; Pillow's warning between 89M and 179M
        # pixels would only print to the terminal under the UI.
        warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
        _warning_filter_installed = True
    return Image


def check_pixels(name: PathLike, width: int, height: int, limit: int = MAX_IMAGE_PIXELS) -> None:
    """Refuse an image whose header claims more pixels than we will decode."""
    if width * height > limit:
        raise MediaError(
            name,
            f"image is {width}x{height} pixels, over the {limit:,}-pixel safety limit (a possible decompression bomb)",
            "scale it down with an image editor before attaching",
        )


def open_image(fp: IO[bytes], name: PathLike, mime_type: str, label: str) -> PILImage.Image:
    """Open (header only) with the one plugin the sniffed type calls for, and check the pixel count."""
    Image = pil_image()
    fmt = PIL_FORMATS.get(mime_type)
    try:
        image = Image.open(fp, formats=[fmt] if fmt else None)
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = f"{int(found.group(1)):,} pixels" if found else "too many pixels"
        raise MediaError(name, f"image has {pixels}, over the {MAX_IMAGE_PIXELS:,}-pixel safety limit "
                               "(a possible decompression bomb)",
                         "scale it down with an image editor before attaching") from None
    except Image.UnidentifiedImageError:
        raise MediaError(name, f"damaged {label.split(' ', 1)[-1]} (its header cannot be read)",
                         "re-export or re-download it") from None
    except PIL_DECODE_ERRORS as exc:
        raise decode_error(name, label, exc) from None
    check_pixels(name, *image.size)
    return image


def decode_error(name: PathLike, label: str, exc: BaseException) -> MediaError:
    """A MediaError for a Pillow failure: 'truncated' when Pillow ran out of data, 'damaged' otherwise."""
    detail = one_line(exc, 100)
    what = label.split(" ", 1)[-1] if label.startswith(("a ", "an ")) else label
    if "truncated" in detail.lower() or isinstance(exc, EOFError):
        return MediaError(name, f"truncated {what} (the file ends before the image data does)",
                          "re-download or re-export it")
    return MediaError(name, f"damaged {what} ({detail})", "re-export or re-download it")

"""Fit an image to a provider's byte, pixel and format limits: downscale (LANCZOS, aspect kept),
re-encode, keep alpha where the format allows, else flatten onto white as JPEG.

Runs Pillow, so call it in a thread from async code."""

from __future__ import annotations

import io
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .kinds import MediaType

from .errors import MediaError
from .imaging import PIL_DECODE_ERRORS, PIL_FORMATS, decode_error, open_image, pil_image
from .limits import BackendLimits, MediaLimit
from .ref import MediaRef

if TYPE_CHECKING:
    from PIL import Image as PILImage

_ENCODERS = {"image/jpeg": "JPEG", "image/webp": "WEBP", "image/png": "PNG", "image/gif": "GIF"}
_ALPHA_FORMATS = ("image/webp", "image/png")  # lossy-with-alpha first: far smaller for photos
_OPAQUE_FORMATS = ("image/jpeg", "image/webp", "image/png", "image/gif")
_QUALITIES = (85, 75, 62, 50, 38)
_LOSSY = ("image/jpeg", "image/webp")
_MAX_ROUNDS = 10
_MIN_SIDE = 16


@dataclass(frozen=True)
class FittedImage:
    """The image to send: bytes, their type and size; `changed` is False when the original was kept."""

    data: bytes
    mime_type: str
    width: int
    height: int
    changed: bool
    original_size: tuple[int, int]
    original_bytes: int
    note: str = ""

    @property
    def size_bytes(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class FitTarget:
    max_bytes: int | None = None
    max_pixels: int | None = None
    max_side: int | None = None
    accepted: frozenset[str] | None = None

    def scale_for(self, width: int, height: int) -> float:
        """The largest factor (<= 1) that brings width x height within the pixel and side limits."""
        scale = 1.0
        if self.max_pixels and width * height > self.max_pixels:
            scale = math.sqrt(self.max_pixels / (width * height))
        if self.max_side and max(width, height) * scale > self.max_side:
            scale = self.max_side / max(width, height)
        return scale

    def size_for(self, width: int, height: int) -> tuple[int, int]:
        """The pixel size an image of width x height is fitted to (unchanged when it already fits).

        Rounded, then clamped, so float error never loses a pixel (3000 px to a 1568 side gives 1568).
        """
        scale = self.scale_for(width, height)
        if scale >= 1.0:
            return width, height
        w, h = max(1, round(width * scale)), max(1, round(height * scale))
        if self.max_side:
            w, h = min(w, self.max_side), min(h, self.max_side)
        while self.max_pixels and w * h > self.max_pixels:
            w, h = (w - 1, h) if w >= h else (w, h - 1)
        return w, h


def fit_image(source: MediaRef | str | os.PathLike | bytes,
              max_bytes: int | MediaLimit | BackendLimits | None = None, max_pixels: int | None = None,
              max_side: int | None = None, accepted_mimes: Iterable[str] | None = None) -> FittedImage:
    """Return the image unchanged if it fits, else a downscaled/re-encoded copy that does.

    `max_bytes` may instead be a MediaLimit or BackendLimits (the contract's `fit_image(source, limits)`)."""
    target = _target(max_bytes, max_pixels, max_side, accepted_mimes)
    if isinstance(source, MediaRef):
        ref = source
    elif isinstance(source, (bytes, bytearray, memoryview)):
        ref = MediaRef.from_bytes(source)
    else:
        ref = MediaRef.from_path(source)
    info = ref.probed()
    if info is None:
        raise MediaError(ref.name, f"is a {ref.kind.replace('_', ' ')}, not local image data",
                         "download the image and attach the file")
    label = info.label or info.mime_type
    if info.media_type != MediaType.IMAGE:
        raise MediaError(ref.name, f"is not an image (it is {label})", "attach an image file")
    if _fits(info.mime_type, info.size_bytes, info.width, info.height, target):
        data = ref.read_bytes()
        return FittedImage(data, info.mime_type, info.width or 0, info.height or 0, False,
                           (info.width or 0, info.height or 0), len(data), "sent as is")
    if info.mime_type not in PIL_FORMATS:
        raise MediaError(ref.name, f"{label} cannot be converted here",
                         "convert it to PNG or JPEG with an image editor and attach that")
    with ref.open() as fp:
        image, original_size = _decode(fp, ref.name, info.mime_type, label, target)
        return _shrink(image, original_size, target, ref.name, info.mime_type, info.size_bytes or 0)


def _target(limit: int | MediaLimit | BackendLimits | None, max_pixels: int | None, max_side: int | None,
            accepted: Iterable[str] | None) -> FitTarget:
    if isinstance(limit, BackendLimits):
        image_limit = limit.limit(MediaType.IMAGE)
        if image_limit is None:
            raise MediaError(limit.backend_type, "this backend takes no image input", "leave the image out for it")
        limit = image_limit
    if isinstance(limit, MediaLimit):
        return FitTarget(limit.max_bytes, limit.max_pixels, limit.max_side, frozenset(limit.mime_types) or None)
    return FitTarget(limit, max_pixels, max_side, frozenset(accepted) if accepted is not None else None)


def _fits(mime: str, size: int | None, width: int | None, height: int | None, target: FitTarget) -> bool:
    if target.accepted is not None and mime not in target.accepted:
        return False
    if target.max_bytes is not None and size is not None and size > target.max_bytes:
        return False
    if width is None or height is None:
        return target.max_pixels is None and target.max_side is None
    return target.scale_for(width, height) >= 1.0


def _decode(fp, name: str, mime: str, label: str, target: FitTarget) -> tuple[PILImage.Image, tuple[int, int]]:
    """Open, let the JPEG decoder downscale by 2/4/8 while decoding (Image.draft), load, and upright by EXIF.

    Returns the image and the original (undrafted) size in its upright orientation."""
    from PIL import ImageOps

    image = open_image(fp, name, mime, label)
    original = image.size
    try:
        size = target.size_for(*original)
        if mime == "image/jpeg" and size != original:
            image.draft(None, size)
        image.load()
        loaded = image.size
        upright = ImageOps.exif_transpose(image) or image
    except PIL_DECODE_ERRORS as exc:
        raise decode_error(name, label, exc) from None
    turned = upright.size != loaded
    return upright, ((original[1], original[0]) if turned else original)


def _normalise_mode(image: PILImage.Image) -> tuple[PILImage.Image, bool]:
    """RGB/RGBA/L pixels an encoder takes, and whether real transparency is present."""
    if image.mode.startswith("I") or image.mode == "F":  # 16-bit and float: scale to 8 bits, not clip
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info)
    if has_alpha:
        image = image.convert("RGBA")
        lowest = image.getchannel("A").getextrema()[0]  # one band: (min, max) of plain numbers
        has_alpha = isinstance(lowest, (int, float)) and lowest < 255
        return (image if has_alpha else image.convert("RGB")), has_alpha
    return (image if image.mode in ("RGB", "L") else image.convert("RGB")), False


def _formats(has_alpha: bool, original: str, accepted: frozenset[str] | None) -> tuple[list[str], bool]:
    """Output formats to try, best first, and whether alpha must be flattened away."""
    allowed = (lambda m: accepted is None or m in accepted)
    if has_alpha:
        keep = [m for m in _ALPHA_FORMATS if allowed(m)]
        if keep:
            return ([original] if original in keep else []) + [m for m in keep if m != original], False
    choices = [m for m in _OPAQUE_FORMATS if allowed(m)]
    if not choices:
        raise MediaError("accepted_mimes", f"none of {sorted(accepted or [])} can be written here",
                         "accept at least one of image/jpeg, image/png, image/webp")
    first = [original] if original in choices and original != "image/gif" else []
    if original not in _LOSSY and "image/png" in choices and not first:
        first = ["image/png"]  # a lossless source (BMP, TIFF, GIF) stays lossless when that fits
    return first + [m for m in choices if m not in first], True


def _shrink(image: PILImage.Image, original_size: tuple[int, int], target: FitTarget, name: str,
            original_mime: str, original_bytes: int) -> FittedImage:
    """Encode at the target size, stepping quality then size down until the bytes fit."""
    Image = pil_image()
    image, has_alpha = _normalise_mode(image)
    formats, flatten = _formats(has_alpha, original_mime, target.accepted)
    if flatten and has_alpha:
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image, has_alpha = background, False
    size = target.size_for(*original_size)
    for _ in range(_MAX_ROUNDS):
        resized = image if image.size == size else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        data, mime, quality = _smallest_fitting(resized, formats, target.max_bytes)
        if target.max_bytes is None or len(data) <= target.max_bytes:
            note = _note(original_size, size, mime, quality)
            return FittedImage(data, mime, size[0], size[1], True, original_size, original_bytes, note)
        factor = min(0.85, max(0.3, math.sqrt(target.max_bytes / len(data)) * 0.95))
        size = (max(1, int(size[0] * factor)), max(1, int(size[1] * factor)))
        if max(size) < _MIN_SIDE:
            break
    raise MediaError(name, f"cannot be made smaller than {target.max_bytes:,} bytes while staying an image",
                     "raise the limit, or attach a smaller image")


def _smallest_fitting(image: PILImage.Image, formats: list[str],
                      max_bytes: int | None) -> tuple[bytes, str, int | None]:
    """The first encoding that fits, trying a lossless original format once, then quality steps of the
    first lossy format; when even the best quality is over 3x the limit, stop early (size must go down)."""
    best: tuple[bytes, str, int | None] | None = None
    lossy = next((m for m in formats if m in _LOSSY), None)
    plan: list[tuple[str, int | None]] = [(m, None) for m in formats[: formats.index(lossy)]] if lossy \
        else [(formats[0], None)]
    plan += [(lossy, q) for q in _QUALITIES] if lossy else []
    for mime, quality in plan:
        data = _encode(image, mime, quality)
        if best is None or len(data) < len(best[0]):
            best = (data, mime, quality)
        if max_bytes is None or len(data) <= max_bytes:
            return data, mime, quality
        if quality == _QUALITIES[0] and len(data) > 3 * max_bytes:
            break
    assert best is not None
    return best


def _encode(image: PILImage.Image, mime: str, quality: int | None) -> bytes:
    out = io.BytesIO()
    fmt = _ENCODERS[mime]
    if fmt == "JPEG":
        image.convert("RGB" if image.mode != "L" else "L").save(out, fmt, quality=quality)
    elif fmt == "WEBP":
        image.save(out, fmt, quality=quality, method=4)
    elif fmt == "GIF":
        image.save(out, fmt)
    else:
        image.save(out, fmt, compress_level=6)
    return out.getvalue()


def _note(before: tuple[int, int], after: tuple[int, int], mime: str, quality: int | None) -> str:
    """Words for the attachment bar, e.g. 'downscaled 4000x3000 -> 1568x1176, JPEG quality 85'."""
    encoded = _ENCODERS[mime] + (f" quality {quality}" if quality else "")
    if before == after:
        return f"re-encoded as {encoded}"
    return f"downscaled {before[0]}x{before[1]} -> {after[0]}x{after[1]}, {encoded}"

"""The offline demo really looks at the images it is given: size, brightness and dominant colours,
computed from the pixels with Pillow (call from a thread)."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

from massgen.media.errors import MediaError
from massgen.media.imaging import PIL_DECODE_ERRORS, check_pixels, pil_image

# Plain colour names a reader recognises, and a typical RGB for each.
COLOUR_NAMES: dict[str, tuple[int, int, int]] = {
    "black": (15, 15, 20), "charcoal": (60, 62, 70), "grey": (128, 128, 128), "silver": (192, 192, 196),
    "white": (245, 245, 245), "red": (205, 40, 40), "dark red": (120, 20, 25), "orange": (240, 140, 40),
    "brown": (130, 80, 45), "beige": (225, 205, 165), "yellow": (240, 215, 60), "olive": (120, 120, 40),
    "green": (60, 165, 80), "dark green": (25, 80, 40), "teal": (30, 140, 140), "dark teal": (20, 60, 62), "cyan": (70, 200, 220),
    "sky blue": (130, 185, 235), "blue": (45, 95, 210), "navy": (25, 35, 90), "midnight blue": (18, 26, 48), "slate": (75, 90, 110), "purple": (120, 60, 170),
    "violet": (170, 120, 220), "pink": (240, 140, 180), "magenta": (210, 50, 170),
}
SAMPLE_SIDE = 96
PALETTE = 6


@dataclass(frozen=True)
class ImageFacts:
    """What the demo saw in one image; `colours` are (name, share 0..1), largest first."""

    name: str
    width: int
    height: int
    colours: tuple[tuple[str, float], ...]
    brightness: float

    def summary(self) -> str:
        """'512x384 px, mostly navy (41%), orange (22%) and black (12%), dark overall'."""
        top = [f"{name} ({share:.0%})" for name, share in self.colours[:3]]
        listed = top[0] if len(top) == 1 else ", ".join(top[:-1]) + f" and {top[-1]}"
        light = "dark" if self.brightness < 0.35 else "bright" if self.brightness > 0.65 else "mid-toned"
        return f"{self.width}x{self.height} px, mostly {listed}, {light} overall"


def look_at(item: dict[str, Any]) -> ImageFacts | str:
    """Facts about one image item (ref, path or base64), or a sentence saying why it could not be read."""
    name = _name(item)
    try:
        data = _bytes_of(item)
    except (OSError, MediaError, ValueError) as exc:
        return f"{name}: could not read it ({exc})"
    if data is None:
        return f"{name}: it is a link, and the offline demo does not fetch links"
    Image = pil_image()
    try:
        with Image.open(io.BytesIO(data)) as image:
            check_pixels(name, *image.size)
            width, height = image.size
            image.draft("RGB", (SAMPLE_SIDE * 2, SAMPLE_SIDE * 2))
            sample = image.convert("RGB")
    except MediaError as exc:
        return str(exc)
    except PIL_DECODE_ERRORS as exc:
        return f"{name}: not a readable image ({type(exc).__name__})"
    sample.thumbnail((SAMPLE_SIDE, SAMPLE_SIDE))
    return ImageFacts(name, width, height, dominant_colours(sample), _brightness(sample))


def dominant_colours(sample: Any) -> tuple[tuple[str, float], ...]:
    """Named shares of the image's main colours, from a median-cut palette of its pixels."""
    Image = pil_image()
    quantised = sample.quantize(colors=PALETTE, method=Image.Quantize.MEDIANCUT)
    palette = quantised.getpalette() or []
    total = sample.width * sample.height
    shares: dict[str, float] = {}
    for count, index in quantised.getcolors(PALETTE) or []:
        rgb = tuple(palette[index * 3: index * 3 + 3])
        name = nearest_name(rgb)  # type: ignore[arg-type]
        shares[name] = shares.get(name, 0.0) + count / total
    return tuple(sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])))


def nearest_name(rgb: tuple[int, int, int]) -> str:
    """The closest plain colour name (a weighted RGB distance that follows the eye well enough)."""
    r, g, b = rgb

    def distance(ref: tuple[int, int, int]) -> float:
        dr, dg, db = r - ref[0], g - ref[1], b - ref[2]
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db

    return min(COLOUR_NAMES, key=lambda name: distance(COLOUR_NAMES[name]))


def _brightness(sample: Any) -> float:
    from PIL import ImageStat

    return ImageStat.Stat(sample.convert("L")).mean[0] / 255.0


def _bytes_of(item: dict[str, Any]) -> bytes | None:
    ref = item.get("ref")
    if ref is not None:
        if getattr(ref, "kind", None) in ("url", "file_id"):
            return None
        return ref.read_bytes()
    if item.get("path"):
        with open(item["path"], "rb") as fh:
            return fh.read()
    if item.get("base64"):
        return base64.b64decode(item["base64"])
    return None


def _name(item: dict[str, Any]) -> str:
    ref = item.get("ref")
    return str(item.get("filename") or getattr(ref, "filename", None) or item.get("path") or "image")

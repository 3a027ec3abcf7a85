"""Drawing the offline demo's scene elements with Pillow: sky, sun, moon, clouds, land, water, city.

Each function draws one element onto a Canvas (an RGB image plus the scene's palette and random
generator); render.py decides which ones to draw and in which order.
"""

from __future__ import annotations

import colorsys
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

RGB = tuple[int, int, int]


def hsv(h: float, s: float, v: float) -> RGB:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, max(0.0, min(1.0, s)), max(0.0, min(1.0, v)))
    return (round(r * 255), round(g * 255), round(b * 255))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    t = max(0.0, min(1.0, t))
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


@dataclass
class Palette:
    """The scene's colours, derived from the base hue and the time of day."""

    sky: list[RGB]
    land: RGB
    far: RGB
    water: RGB
    glow: RGB
    ink: RGB
    accent: list[RGB]

    @classmethod
    def make(cls, hue: float, time_of_day: str) -> "Palette":
        sky_hue = 0.58 + 0.3 * math.sin(2 * math.pi * hue) * 0.25
        land_hue = 0.22 + 0.18 * math.sin(2 * math.pi * (hue + 0.1))
        accent = [hsv(hue + d, 0.65, 0.95) for d in (0.0, 0.08, 0.5, 0.58, 0.33)]
        if time_of_day == "night":
            sky = [hsv(sky_hue + 0.06, 0.75, 0.10), hsv(sky_hue + 0.03, 0.65, 0.22), hsv(sky_hue, 0.45, 0.36)]
            return cls(sky, hsv(land_hue + 0.1, 0.45, 0.16), hsv(sky_hue, 0.35, 0.28), hsv(sky_hue, 0.6, 0.18),
                       (250, 245, 225), (12, 14, 28), accent)
        if time_of_day == "sunset":
            warm = 0.02 + 0.06 * math.sin(2 * math.pi * hue)
            sky = [hsv(0.7 + 0.05 * math.cos(2 * math.pi * hue), 0.55, 0.40), hsv(warm + 0.93, 0.55, 0.85),
                   hsv(warm + 0.07, 0.7, 1.0)]
            return cls(sky, hsv(land_hue + 0.55, 0.35, 0.28), hsv(0.8, 0.3, 0.55), hsv(0.72, 0.45, 0.45),
                       (255, 190, 110), (40, 22, 40), accent)
        sky = [hsv(sky_hue, 0.62, 0.80), hsv(sky_hue - 0.01, 0.38, 0.92), hsv(sky_hue - 0.03, 0.12, 0.98)]
        return cls(sky, hsv(land_hue, 0.55, 0.55), hsv(sky_hue - 0.02, 0.25, 0.80), hsv(sky_hue, 0.55, 0.70),
                   (255, 244, 200), (40, 50, 60), accent)


@dataclass
class Canvas:
    """An RGB image being drawn, its size, the horizon line, the palette and the scene's randomness."""

    image: Image.Image
    rng: random.Random
    palette: Palette
    horizon: float = 0.62
    seed: int = 0

    def reseed(self, label: str) -> None:
        """Give each element its own randomness, so adding one element never moves the others."""
        self.rng = random.Random(f"{self.seed}:{label}")

    @property
    def w(self) -> int:
        return self.image.width

    @property
    def h(self) -> int:
        return self.image.height

    @property
    def draw(self) -> ImageDraw.ImageDraw:
        return ImageDraw.Draw(self.image, "RGBA")

    @property
    def horizon_y(self) -> int:
        return round(self.h * self.horizon)


def gradient(size: tuple[int, int], stops: list[RGB]) -> Image.Image:
    """A vertical gradient through `stops`, built as one column and stretched (fast at any size)."""
    w, h = size
    column = Image.new("RGB", (1, h))
    pixels = column.load()
    for y in range(h):
        t = y / max(1, h - 1) * (len(stops) - 1)
        i = min(int(t), len(stops) - 2)
        pixels[0, y] = mix(stops[i], stops[i + 1], t - i)
    return column.resize((w, h), Image.Resampling.NEAREST)


def glow(c: Canvas, cx: int, cy: int, radius: int, colour: RGB, strength: float = 0.55) -> None:
    """A soft radial halo (sun, moon, lights)."""
    size = radius * 2
    halo = Image.radial_gradient("L").resize((size, size), Image.Resampling.BILINEAR)
    # radial_gradient reaches 181 at the inscribed circle and 255 in the corners: fade to 0 at the circle.
    alpha = halo.point(lambda v: int(max(0.0, 1 - v / 181) ** 2 * 255 * strength))
    c.image.paste(Image.new("RGB", (size, size), colour), (cx - radius, cy - radius), alpha)


def stars(c: Canvas, count: int = 160) -> None:
    d = c.draw
    for _ in range(count):
        x, y = c.rng.randrange(c.w), c.rng.randrange(max(1, int(c.horizon_y * 0.95)))
        r = c.rng.choice((1, 1, 1, 2, 2, 3)) * c.w / 1600
        a = c.rng.randrange(120, 255)
        d.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 240, a))


def sun(c: Canvas, time_of_day: str, neon: bool = False) -> None:
    low = time_of_day == "sunset"
    cx = round(c.w * (0.5 + c.rng.uniform(-0.18, 0.18) if low else c.rng.uniform(0.62, 0.82)))
    cy = round(c.horizon_y * (0.78 if low else 0.28))
    r = round(c.w * (0.085 if low else 0.055))
    colour = (255, 160, 70) if low else (255, 236, 170)
    glow(c, cx, cy, r * 5, c.palette.glow, 0.5)
    if neon:
        top, bottom = (255, 230, 90), (255, 60, 160)
        disc = gradient((2 * r, 2 * r), [top, bottom])
        mask = Image.new("L", (2 * r, 2 * r), 0)
        md = ImageDraw.Draw(mask)
        md.ellipse((0, 0, 2 * r - 1, 2 * r - 1), fill=255)
        for i in range(5):
            y = round(r * (1.1 + 0.18 * i))
            md.rectangle((0, y, 2 * r, y + max(1, round(r * 0.05 * (i + 1)))), fill=0)
        c.image.paste(disc, (cx - r, cy - r), mask)
        return
    c.draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)


def moon(c: Canvas) -> None:
    cx, cy, r = round(c.w * c.rng.uniform(0.6, 0.85)), round(c.horizon_y * 0.3), round(c.w * 0.045)
    glow(c, cx, cy, r * 4, (200, 210, 255), 0.35)
    mask = Image.new("L", (2 * r, 2 * r), 0)
    md = ImageDraw.Draw(mask)
    md.ellipse((0, 0, 2 * r - 1, 2 * r - 1), fill=255)
    md.ellipse((round(r * 0.55), round(-r * 0.25), round(r * 2.5), round(r * 1.6)), fill=0)
    c.image.paste(Image.new("RGB", (2 * r, 2 * r), (250, 246, 225)), (cx - r, cy - r), mask)


def clouds(c: Canvas, time_of_day: str, count: int | None = None, grey: bool = False) -> None:
    layer = Image.new("L", c.image.size, 0)
    d = ImageDraw.Draw(layer)
    for _ in range(count if count is not None else c.rng.randint(3, 6)):
        cx, cy = c.rng.uniform(-0.05, 1.05) * c.w, c.rng.uniform(0.08, 0.45) * c.horizon_y
        span = c.rng.uniform(0.10, 0.24) * c.w
        for _ in range(7):
            dx, dy = c.rng.uniform(-0.5, 0.5) * span, c.rng.uniform(-0.12, 0.12) * span
            rx, ry = c.rng.uniform(0.18, 0.32) * span, c.rng.uniform(0.10, 0.18) * span
            d.ellipse((cx + dx - rx, cy + dy - ry, cx + dx + rx, cy + dy + ry), fill=230)
        d.rectangle((cx - 0.45 * span, cy, cx + 0.45 * span, cy + 0.1 * span), fill=230)
    layer = layer.filter(ImageFilter.GaussianBlur(c.w / 320))
    colour = {"night": (90, 95, 120), "sunset": (255, 205, 190)}.get(time_of_day, (255, 255, 255))
    if grey:
        colour = mix(colour, (120, 125, 135), 0.6)
    c.image.paste(Image.new("RGB", c.image.size, colour), (0, 0), layer)


def ridge(c: Canvas, base: float, amplitude: float, waves: int, jagged: bool) -> list[tuple[float, float]]:
    """The outline of a land layer: sums of sines (hills) or alternating peaks and saddles (mountains)."""
    if jagged:
        return _peaks(c, base, amplitude, waves)
    points = []
    phases = [c.rng.uniform(0, 2 * math.pi) for _ in range(3)]
    for i in range(97):
        t = i / 96
        y = sum(math.sin(t * math.pi * waves * (k + 1) + phases[k]) / (k + 1) ** 1.3 for k in range(3))
        points.append((c.w * t, c.h * base - y * amplitude * c.h))
    return points


def _peaks(c: Canvas, base: float, amplitude: float, count: int) -> list[tuple[float, float]]:
    xs = sorted(c.rng.uniform(-0.05, 1.05) for _ in range(count * 2 + 1))
    points = [(-0.1 * c.w, c.h * base)]
    for i, x in enumerate(xs):
        peak = i % 2 == 0
        height = c.rng.uniform(0.7, 1.3) * amplitude if peak else c.rng.uniform(0.0, 0.35) * amplitude
        points.append((x * c.w, c.h * base - height * c.h))
        if peak:  # a small shoulder makes the slope less geometric
            points.append(((x + c.rng.uniform(0.02, 0.05)) * c.w, c.h * base - height * c.h * c.rng.uniform(0.7, 0.85)))
    points.append((1.1 * c.w, c.h * base))
    return sorted(points)


def land(c: Canvas, base: float, amplitude: float, colour: RGB, waves: int = 2, jagged: bool = False,
         snow_caps: bool = False) -> list[tuple[float, float]]:
    outline = ridge(c, base, amplitude, waves, jagged)
    polygon = [*outline, (c.w, c.h), (0, c.h)]
    c.draw.polygon(polygon, fill=colour)
    if snow_caps:
        top = min(y for _, y in outline)
        snow_line = top + (c.h * base - top) * 0.3
        mask = Image.new("L", c.image.size, 0)
        md = ImageDraw.Draw(mask)
        md.polygon(polygon, fill=215)
        md.rectangle((0, snow_line, c.w, c.h), fill=0)
        c.image.paste(Image.new("RGB", c.image.size, (244, 247, 255)), (0, 0), mask)
    return outline


def height_at(outline: list[tuple[float, float]], x: float) -> float:
    """The y of a land outline at x (linear between its points)."""
    for (x0, y0), (x1, y1) in zip(outline, outline[1:]):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * ((x - x0) / max(1e-6, x1 - x0))
    return outline[-1][1]


def water(c: Canvas, time_of_day: str) -> None:
    top = c.horizon_y
    body = gradient((c.w, c.h - top), [mix(c.palette.sky[-1], c.palette.water, 0.55), c.palette.water,
                                        mix(c.palette.water, (0, 0, 0), 0.35)])
    c.image.paste(body, (0, top))
    d = c.draw
    shine = c.palette.glow if time_of_day != "day" else (255, 255, 255)
    for _ in range(int(c.w / 6)):
        y = c.rng.uniform(top + 2, c.h)
        x = c.rng.uniform(0, c.w)
        length = c.rng.uniform(0.01, 0.05) * c.w * (0.4 + (y - top) / (c.h - top))
        d.line((x, y, x + length, y), fill=(*shine, c.rng.randrange(30, 90)), width=max(1, c.w // 700))


def reflection(c: Canvas, cx: float, colour: RGB) -> None:
    """A shimmering column of light on the water under the sun or moon."""
    d = c.draw
    top = c.horizon_y
    for i in range(40):
        y = top + (c.h - top) * (i / 40) ** 1.4
        half = c.w * (0.01 + 0.06 * i / 40) * c.rng.uniform(0.5, 1.0)
        d.line((cx - half, y, cx + half, y), fill=(*colour, 150 - i * 3), width=max(1, c.h // 300))


def city(c: Canvas, time_of_day: str, neon: bool) -> None:
    d = c.draw
    base = c.horizon_y
    x = c.rng.uniform(-0.02, 0.03) * c.w
    silhouette = mix(c.palette.far, c.palette.ink, 0.7 if time_of_day != "day" else 0.45)
    neon_colours = [(255, 60, 180), (60, 230, 255), (190, 90, 255)]
    lit_p = {"night": 0.45, "sunset": 0.3}.get(time_of_day, 0.05)
    while x < c.w:
        bw = c.rng.uniform(0.035, 0.08) * c.w
        bh = c.rng.uniform(0.08, 0.34 if neon else 0.26) * c.h
        top = base - bh
        shade = mix(silhouette, c.palette.sky[0], c.rng.uniform(0.0, 0.15))
        d.rectangle((x, top, x + bw, base), fill=shade)
        if neon:
            d.rectangle((x, top, x + bw, base), outline=(*c.rng.choice(neon_colours), 200), width=max(1, c.w // 500))
        if c.rng.random() < 0.25:
            d.line((x + bw / 2, top, x + bw / 2, top - bh * 0.15), fill=shade, width=max(1, c.w // 400))
        _windows(c, x, top, bw, base, lit_p, neon_colours if neon else None)
        x += bw + c.rng.uniform(0.0, 0.012) * c.w


def _windows(c: Canvas, x: float, top: float, bw: float, base: float, lit_p: float, neon: list[RGB] | None) -> None:
    d = c.draw
    size = max(2.0, c.w / 230)
    gap = size * 0.9
    y = top + gap
    while y + size < base - gap:
        wx = x + gap
        while wx + size < x + bw - gap:
            if c.rng.random() < lit_p:
                colour = c.rng.choice(neon) if neon and c.rng.random() < 0.3 else (255, 214, 120)
                d.rectangle((wx, y, wx + size, y + size), fill=(*colour, 230))
            elif lit_p < 0.1:
                d.rectangle((wx, y, wx + size, y + size), fill=(220, 235, 250, 60))
            wx += size + gap
        y += size + gap

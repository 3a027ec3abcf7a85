"""The offline demo's foreground figures and weather: trees, house, boat, birds, rain, snow, shapes."""

from __future__ import annotations

import math

from PIL import Image, ImageDraw, ImageFilter

from .scene import RGB, Canvas, height_at, hsv, mix


def trees(c: Canvas, ground: list[tuple[float, float]], time_of_day: str, count: int | None = None) -> None:
    d = c.draw
    dark = {"night": 0.75, "sunset": 0.55}.get(time_of_day, 0.25)
    n = count if count is not None else c.rng.randint(5, 11)
    xs = sorted(c.rng.uniform(0.02, 0.98) * c.w for _ in range(n))
    for x in xs:
        y = height_at(ground, x) + c.h * 0.01
        size = c.rng.uniform(0.05, 0.11) * c.h
        green = mix(hsv(0.30 + c.rng.uniform(-0.05, 0.06), 0.6, 0.42), c.palette.ink, dark)
        if c.rng.random() < 0.6:
            for tier in range(3):
                top = y - size * (1.0 - tier * 0.22) * 1.2
                half = size * (0.28 + tier * 0.1)
                base = y - size * 0.25 * (2 - tier) * 0.8
                d.polygon([(x, top), (x - half, base), (x + half, base)], fill=green)
            d.rectangle((x - size * 0.04, y - size * 0.12, x + size * 0.04, y), fill=mix((90, 60, 40), c.palette.ink, dark))
        else:
            d.rectangle((x - size * 0.05, y - size * 0.5, x + size * 0.05, y), fill=mix((100, 70, 45), c.palette.ink, dark))
            r = size * 0.38
            d.ellipse((x - r, y - size * 0.5 - r * 1.4, x + r, y - size * 0.5 + r * 0.3), fill=green)


def house(c: Canvas, ground: list[tuple[float, float]], time_of_day: str, at: float | None = None) -> None:
    d = c.draw
    x = (at if at is not None else c.rng.uniform(0.15, 0.7)) * c.w
    size = 0.09 * c.h
    y = height_at(ground, x + size * 0.6) + size * 0.08
    dark = {"night": 0.7, "sunset": 0.45}.get(time_of_day, 0.1)
    wall = mix((236, 224, 200), c.palette.ink, dark)
    roof = mix((170, 60, 50), c.palette.ink, dark)
    d.rectangle((x, y - size, x + size * 1.3, y), fill=wall)
    d.polygon([(x - size * 0.15, y - size), (x + size * 0.65, y - size * 1.7), (x + size * 1.45, y - size)], fill=roof)
    d.rectangle((x + size * 0.15, y - size * 0.55, x + size * 0.42, y), fill=mix((110, 70, 40), c.palette.ink, dark))
    window = (255, 210, 120) if time_of_day != "day" else (170, 210, 240)
    d.rectangle((x + size * 0.75, y - size * 0.7, x + size * 1.1, y - size * 0.4), fill=window)


def boat(c: Canvas, time_of_day: str) -> None:
    d = c.draw
    x, y = c.rng.uniform(0.2, 0.7) * c.w, c.horizon_y + (c.h - c.horizon_y) * c.rng.uniform(0.25, 0.45)
    size = 0.06 * c.w
    ink = mix((60, 40, 30), c.palette.ink, 0.5 if time_of_day != "day" else 0.1)
    d.polygon([(x - size, y), (x + size, y), (x + size * 0.7, y + size * 0.28), (x - size * 0.7, y + size * 0.28)], fill=ink)
    d.line((x, y, x, y - size * 1.5), fill=ink, width=max(1, c.w // 500))
    sail = (250, 248, 240) if time_of_day == "day" else mix((250, 248, 240), c.palette.glow, 0.5)
    d.polygon([(x + size * 0.05, y - size * 1.45), (x + size * 0.05, y - size * 0.1), (x + size * 0.85, y - size * 0.1)], fill=sail)


def birds(c: Canvas, time_of_day: str) -> None:
    d = c.draw
    ink = (30, 30, 40) if time_of_day != "night" else (200, 205, 230)
    cx, cy = c.rng.uniform(0.2, 0.6) * c.w, c.rng.uniform(0.15, 0.4) * c.horizon_y
    for _ in range(c.rng.randint(4, 8)):
        x, y = cx + c.rng.uniform(-0.12, 0.12) * c.w, cy + c.rng.uniform(-0.06, 0.06) * c.h
        s = c.rng.uniform(0.008, 0.016) * c.w
        width = max(1, c.w // 600)
        d.arc((x - s, y - s * 0.5, x, y + s * 0.5), 200, 340, fill=ink, width=width)
        d.arc((x, y - s * 0.5, x + s, y + s * 0.5), 200, 340, fill=ink, width=width)


def rain(c: Canvas) -> None:
    layer = Image.new("RGBA", c.image.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    for _ in range(int(c.w * 0.6)):
        x, y = c.rng.uniform(-0.1, 1.0) * c.w, c.rng.uniform(0, 1) * c.h
        length = c.rng.uniform(0.015, 0.035) * c.h
        d.line((x, y, x + length * 0.3, y + length), fill=(210, 220, 235, c.rng.randrange(60, 130)), width=max(1, c.w // 800))
    c.image.paste(layer, (0, 0), layer)


def snow(c: Canvas) -> None:
    d = c.draw
    for _ in range(int(c.w * 0.35)):
        x, y = c.rng.uniform(0, 1) * c.w, c.rng.uniform(0, 1) * c.h
        r = c.rng.choice((1, 1, 2, 2, 3)) * c.w / 900
        d.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, c.rng.randrange(150, 240)))


def shapes(c: Canvas, accent: list[RGB]) -> None:
    """A bold abstract composition: translucent circles, bars and triangles over the sky gradient."""
    layer = Image.new("RGBA", c.image.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    for i in range(c.rng.randint(7, 12)):
        colour = (*accent[i % len(accent)], c.rng.randrange(140, 220))
        x, y = c.rng.uniform(0.05, 0.95) * c.w, c.rng.uniform(0.08, 0.92) * c.h
        s = c.rng.uniform(0.08, 0.26) * min(c.w, c.h)
        kind = c.rng.choice(("circle", "circle", "rect", "triangle", "ring"))
        if kind == "circle":
            d.ellipse((x - s, y - s, x + s, y + s), fill=colour)
        elif kind == "ring":
            d.ellipse((x - s, y - s, x + s, y + s), outline=colour, width=max(2, round(s * 0.18)))
        elif kind == "rect":
            angle = c.rng.uniform(0, math.pi)
            pts = [(x + s * math.cos(angle + a) * k, y + s * math.sin(angle + a) * k)
                   for a, k in ((0.3, 1.3), (math.pi - 0.3, 1.3), (math.pi + 0.3, 1.3), (-0.3, 1.3))]
            d.polygon(pts, fill=colour)
        else:
            angle = c.rng.uniform(0, 2 * math.pi)
            d.polygon([(x + s * math.cos(angle + k * 2 * math.pi / 3), y + s * math.sin(angle + k * 2 * math.pi / 3))
                       for k in range(3)], fill=colour)
    shadow = layer.split()[3].filter(ImageFilter.GaussianBlur(c.w / 150)).point(lambda v: v // 3)
    c.image.paste(Image.new("RGB", c.image.size, (0, 0, 0)), (round(c.w / 160), round(c.w / 120)), shadow)
    c.image.paste(layer, (0, 0), layer)
    dots = c.draw
    step = c.w / 28
    for gx in range(4):
        for gy in range(4):
            x, y = c.w * 0.08 + gx * step, c.h * 0.78 + gy * step * 0.6
            dots.ellipse((x - step * 0.12, y - step * 0.12, x + step * 0.12, y + step * 0.12), fill=(255, 255, 255, 150))

"""Composing the offline demo's picture from a scene spec (or editing any picture), with Pillow.

Drawn at twice the size and scaled down, so edges are smooth; deterministic for a spec.
"""

from __future__ import annotations

import random
from typing import Any

from PIL import Image, ImageDraw, ImageEnhance, ImageFont

from . import figures as fig
from . import scene as sc

SUPERSAMPLE = 2
LANDSCAPE = {"hills", "mountains", "water", "city", "trees", "house", "boat"}


def render(spec: dict[str, Any], size: tuple[int, int], caption: bool = True) -> Image.Image:
    """The scene of `spec` at `size`, post-processed and captioned."""
    w, h = size
    palette = sc.Palette.make(spec["hue"], spec["time"])
    canvas = sc.Canvas(sc.gradient((w * SUPERSAMPLE, h * SUPERSAMPLE), palette.sky), random.Random(spec["seed"]), palette,
                       seed=spec["seed"])
    elements = set(spec["elements"])
    if "water" in elements:
        canvas.horizon = 0.58
    elif "city" in elements and not elements & {"hills", "trees", "house", "mountains"}:
        canvas.horizon = 0.8
    _sky(canvas, spec["time"], elements)
    if elements & LANDSCAPE or not elements & {"shapes"}:
        _land(canvas, spec["time"], elements)
    if "shapes" in elements:
        canvas.reseed("shapes")
        fig.shapes(canvas, palette.accent)
    _weather(canvas, spec["time"], elements)
    image = canvas.image.resize(size, Image.Resampling.LANCZOS)
    image = adjust(image, spec)
    return with_caption(image, spec["prompt"]) if caption else image


def edit_picture(image: Image.Image, edits: dict[str, Any], seed: int) -> Image.Image:
    """Apply an edit to an arbitrary picture: overlays (sun, moon, stars, clouds, weather), then light and colour."""
    palette = sc.Palette.make(0.6, "day")
    canvas = sc.Canvas(image.convert("RGB"), random.Random(seed), palette, horizon=0.7, seed=seed)
    elements = set(edits["elements"])
    if "stars" in elements:
        sc.stars(canvas, 120)
    if "sun" in elements:
        sc.sun(canvas, "day")
    if "moon" in elements:
        sc.moon(canvas)
    if "clouds" in elements:
        sc.clouds(canvas, "day", count=3)
    if "birds" in elements:
        fig.birds(canvas, "day")
    _weather(canvas, "day", elements)
    return adjust(canvas.image, edits)


def adjust(image: Image.Image, spec: dict[str, Any]) -> Image.Image:
    """Brightness, saturation and colour tints from a spec or an edit."""
    if spec.get("brightness", 1.0) != 1.0:
        image = ImageEnhance.Brightness(image).enhance(spec["brightness"])
    if spec.get("saturation", 1.0) != 1.0:
        image = ImageEnhance.Color(image).enhance(spec["saturation"])
    for r, g, b, strength in spec.get("tints", []):
        image = Image.blend(image, Image.new("RGB", image.size, (int(r), int(g), int(b))), float(strength))
    return image


def with_caption(image: Image.Image, prompt: str) -> Image.Image:
    """A discreet label in the bottom-left corner saying the picture was drawn offline."""
    text = f"offline demo · {prompt}"
    size = max(10, image.height // 40)
    font = ImageFont.load_default(size=size)
    limit = image.width * 0.7
    while len(text) > 12 and font.getlength(text) > limit:
        text = text[:-2].rstrip() + "…" if not text.endswith("…") else text[:-2] + "…"
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(overlay)
    pad = size // 2
    x0, y0 = pad, image.height - size - 3 * pad
    d.rounded_rectangle((x0, y0, x0 + font.getlength(text) + 2 * pad, y0 + size + 2 * pad), radius=pad,
                        fill=(0, 0, 0, 90))
    d.text((x0 + pad, y0 + pad * 0.8), text, font=font, fill=(255, 255, 255, 220))
    base = image.convert("RGBA")
    base.alpha_composite(overlay)
    return base.convert("RGB")


def _sky(c: sc.Canvas, time_of_day: str, elements: set[str]) -> None:
    c.reseed("sky")
    if time_of_day == "night" or "stars" in elements:
        sc.stars(c, 200 if time_of_day == "night" else 60)
    if "sun" in elements and time_of_day != "night":
        c.reseed("sun")
        sc.sun(c, time_of_day, neon="neon" in elements)
    if ("moon" in elements or ("sun" in elements and time_of_day == "night")) and "shapes" not in elements:
        c.reseed("moon")
        sc.moon(c)
    if "clouds" in elements or "rain" in elements:
        c.reseed("clouds")
        sc.clouds(c, time_of_day, count=7 if "rain" in elements else None, grey="rain" in elements)
    if "birds" in elements:
        c.reseed("birds")
        fig.birds(c, time_of_day)


def _land(c: sc.Canvas, time_of_day: str, elements: set[str]) -> None:
    p = c.palette
    hz = c.horizon
    snowy = "snow" in elements
    c.reseed("land")
    if "mountains" in elements:
        sc.land(c, hz - 0.02, 0.16, sc.mix(p.far, p.sky[-1], 0.35), waves=3, jagged=True, snow_caps=True)
        sc.land(c, hz + 0.01, 0.09, sc.mix(p.far, p.land, 0.35), waves=4, jagged=True, snow_caps=snowy)
    if "hills" in elements or not elements & {"mountains", "water", "city"}:
        sc.land(c, hz - 0.005, 0.05, sc.mix(p.far, p.land, 0.55), waves=2)
    if "city" in elements:
        sc.city(c, time_of_day, neon="neon" in elements)
    ground = None
    if "water" in elements:
        sc.water(c, time_of_day)
        light = "sun" in elements and time_of_day != "night" or "moon" in elements or time_of_day == "night"
        if light:
            sc.reflection(c, c.w * 0.5 if time_of_day == "sunset" else c.w * 0.72, p.glow)
        if "boat" in elements:
            fig.boat(c, time_of_day)
        if elements & {"trees", "house"}:
            ground = sc.land(c, 0.93, 0.03, _ground(p.land, snowy), waves=1)
    elif "city" in elements and not elements & {"hills", "trees", "house"}:
        ground = None
        _street(c, time_of_day)
    else:
        ground = sc.land(c, hz + 0.14, 0.05, _ground(p.land, snowy), waves=1)
    if ground is not None and "house" in elements:
        c.reseed("house")
        count, start = c.rng.choice((1, 1, 2, 3)), c.rng.uniform(0.08, 0.3)
        for k in range(count):
            fig.house(c, ground, time_of_day, at=start + k * 0.22 + c.rng.uniform(0.0, 0.05))
    if ground is not None and "trees" in elements:
        c.reseed("trees")
        fig.trees(c, ground, time_of_day)


def _street(c: sc.Canvas, time_of_day: str) -> None:
    """A dark street in front of a skyline, with streaks of passing lights."""
    d = c.draw
    d.rectangle((0, c.horizon_y, c.w, c.h), fill=sc.mix(c.palette.ink, c.palette.far, 0.2))
    lights = [(255, 214, 120), (255, 80, 80)] if time_of_day != "day" else [(235, 235, 235)]
    for _ in range(30):
        y = c.rng.uniform(c.horizon_y + 4, c.h)
        x = c.rng.uniform(0, c.w)
        d.line((x, y, x + c.rng.uniform(0.03, 0.12) * c.w, y), fill=(*c.rng.choice(lights), 150),
               width=max(1, c.h // 400))


def _ground(colour: sc.RGB, snowy: bool) -> sc.RGB:
    return sc.mix(colour, (240, 244, 250), 0.75) if snowy else colour


def _weather(c: sc.Canvas, time_of_day: str, elements: set[str]) -> None:
    c.reseed("weather")
    if "rain" in elements:
        fig.rain(c)
    if "snow" in elements:
        fig.snow(c)

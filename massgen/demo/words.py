"""The offline demo's reading of a prompt: which scene to draw, and how an edit changes it.

A scene spec is a small JSON-able dict, so it is kept in the continuation store and an edit such as
"darker", "add a sun" or "more blue" re-draws the same scene changed, even after a restart.
"""

from __future__ import annotations

import colorsys
import hashlib
import re
from typing import Any

_WORD = re.compile(r"[a-z]+")

ELEMENT_WORDS: dict[str, tuple[str, ...]] = {
    "sun": ("sun", "sunny", "sunshine", "sunlight"),
    "moon": ("moon", "moonlight", "moonlit", "lunar"),
    "stars": ("star", "stars", "starry", "galaxy", "cosmic", "space"),
    "clouds": ("cloud", "clouds", "cloudy", "overcast", "sky"),
    "mountains": ("mountain", "mountains", "alps", "peak", "peaks", "alpine", "volcano", "canyon"),
    "hills": ("hill", "hills", "valley", "meadow", "countryside", "field", "fields", "landscape"),
    "water": ("sea", "ocean", "lake", "river", "beach", "water", "harbor", "harbour", "bay", "coast", "waves", "pond"),
    "city": ("city", "cityscape", "skyline", "town", "buildings", "building", "urban", "downtown", "street",
             "skyscraper", "skyscrapers", "metropolis"),
    "trees": ("tree", "trees", "forest", "woods", "park", "garden", "jungle", "pine", "pines", "oak"),
    "boat": ("boat", "ship", "sail", "sailboat", "yacht"),
    "birds": ("bird", "birds", "flying", "flock", "seagull", "seagulls"),
    "snow": ("snow", "snowy", "winter", "ice", "frozen", "blizzard"),
    "rain": ("rain", "rainy", "storm", "stormy", "drizzle"),
    "house": ("house", "houses", "cabin", "cottage", "home", "hut", "barn", "castle", "tower", "village", "farm",
              "church", "temple"),
    "shapes": ("abstract", "geometric", "shapes", "shape", "circle", "circles", "square", "squares",
               "triangle", "triangles", "pattern", "bauhaus", "minimal", "minimalist"),
    "neon": ("futuristic", "neon", "cyberpunk", "scifi", "synthwave", "future"),
}

TIME_WORDS = {
    "night": ("night", "midnight", "nighttime", "nocturnal", "dark"),
    "sunset": ("sunset", "dusk", "evening", "sunrise", "dawn", "twilight", "golden"),
    "day": ("day", "daytime", "noon", "morning", "bright"),
}

COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (220, 50, 47), "orange": (240, 140, 40), "yellow": (245, 210, 60), "gold": (230, 180, 60),
    "green": (70, 170, 90), "teal": (30, 150, 150), "cyan": (60, 200, 220), "blue": (50, 110, 220),
    "navy": (30, 50, 120), "purple": (140, 70, 200), "violet": (150, 90, 220), "pink": (240, 120, 170),
    "magenta": (220, 60, 180), "brown": (140, 90, 50), "white": (245, 245, 245), "black": (20, 20, 25),
    "grey": (128, 128, 128), "gray": (128, 128, 128),
}
WARM, COOL = (255, 150, 60), (60, 140, 255)

_ADD = ("add", "with", "include", "put", "place", "show", "draw", "more")
_REMOVE = ("remove", "without", "no", "delete", "erase", "hide", "drop")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def digest(text: str) -> int:
    """A stable 64-bit number for text (Python's hash() changes per process)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def scene_spec(prompt: str) -> dict[str, Any]:
    """The scene a prompt describes: deterministic for a prompt, varied across prompts."""
    ws = words(prompt)
    seed = digest(" ".join(ws) or prompt)
    elements = sorted({name for name, keys in ELEMENT_WORDS.items() if any(w in keys for w in ws)})
    time_of_day = _time_of_day(ws, seed)
    if not elements or elements == ["neon"]:
        elements = sorted(set(elements) | _default_elements(seed))
    if "neon" in elements and "city" not in elements and "shapes" not in elements:
        elements.append("city")
    if time_of_day == "night" and "moon" not in elements and "sun" not in elements:
        elements.append("moon")
    if time_of_day != "night" and "sun" not in elements and "moon" not in elements and seed % 3:
        elements.append("sun")
    return {
        "prompt": prompt,
        "seed": seed,
        "time": time_of_day,
        "hue": _hue(ws, seed),
        "elements": sorted(set(elements)),
        "brightness": 1.0,
        "saturation": 1.0,
        "tints": [],
        "edits": [],
    }


def apply_edit(spec: dict[str, Any], instruction: str) -> dict[str, Any]:
    """A new spec with an edit applied ("darker", "add a sun", "more blue", "remove the city")."""
    new = {**spec, "elements": list(spec["elements"]), "tints": [list(t) for t in spec.get("tints", [])],
           "edits": [*spec.get("edits", []), instruction]}
    ws = words(instruction)
    _adjust_light(new, ws)
    _adjust_colour(new, ws)
    _adjust_time(new, ws)
    _adjust_elements(new, ws)
    new["seed"] = digest(f"{spec['seed']}:{instruction}") if "different" in ws or "another" in ws else spec["seed"]
    return new


def image_edits(instruction: str) -> dict[str, Any]:
    """What an edit asks of an arbitrary picture (not a demo scene): light, colour, overlays."""
    spec = {"elements": [], "tints": [], "brightness": 1.0, "saturation": 1.0, "time": None, "edits": []}
    ws = words(instruction)
    _adjust_light(spec, ws)
    _adjust_colour(spec, ws)
    _adjust_elements(spec, ws)
    if any(w in TIME_WORDS["night"] for w in ws):
        spec["brightness"] = round(spec["brightness"] * 0.6, 3)
        spec["tints"].append([*COOL, 0.2])
    return spec


def _time_of_day(ws: list[str], seed: int) -> str:
    for name in ("night", "sunset", "day"):
        if any(w in TIME_WORDS[name] for w in ws):
            return name
    if any(w in ELEMENT_WORDS["moon"] or w in ELEMENT_WORDS["stars"] for w in ws):
        return "night"
    if any(w in ELEMENT_WORDS["neon"] for w in ws):
        return ("night", "sunset")[seed % 2]
    return ("day", "day", "day", "sunset", "sunset", "night")[seed % 6]


def _default_elements(seed: int) -> set[str]:
    """A pleasant landscape chosen by the prompt's hash when the prompt names nothing drawable."""
    choices = (
        {"hills", "trees", "clouds"}, {"mountains", "water"}, {"city", "water"}, {"hills", "house", "trees"},
        {"mountains", "trees", "clouds"}, {"water", "boat", "birds"}, {"shapes"}, {"city", "clouds"},
    )
    return set(choices[(seed >> 8) % len(choices)])


def _hue(ws: list[str], seed: int) -> float:
    """The palette's base hue: a named colour wins, else a hash of the words."""
    for w in ws:
        if w in COLOURS and w not in ("white", "black", "grey", "gray"):
            r, g, b = COLOURS[w]
            return round(colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)[0], 4)
    return round((seed % 10_000) / 10_000, 4)


def _adjust_light(spec: dict[str, Any], ws: list[str]) -> None:
    steps = {"darker": 0.75, "dim": 0.8, "dimmer": 0.8, "gloomy": 0.75, "brighter": 1.25, "lighter": 1.2,
             "sunnier": 1.15}
    for w in ws:
        if w in steps:
            spec["brightness"] = round(min(2.0, max(0.25, spec["brightness"] * steps[w])), 3)
    if "vivid" in ws or "saturated" in ws or "colorful" in ws or "colourful" in ws:
        spec["saturation"] = round(min(2.0, spec["saturation"] * 1.3), 3)
    if "muted" in ws or "desaturated" in ws or "pale" in ws:
        spec["saturation"] = round(max(0.2, spec["saturation"] * 0.7), 3)


def _adjust_colour(spec: dict[str, Any], ws: list[str]) -> None:
    for w in ws:
        colour = COLOURS.get(w) or next((COLOURS[w[:-n]] for n in (1, 2, 3)
                                         if w.endswith("er") and w[:-n] in COLOURS), None)
        if colour is not None:
            spec["tints"].append([*colour, 0.25])
        elif w in ("warmer", "warm"):
            spec["tints"].append([*WARM, 0.2])
        elif w in ("cooler", "cool", "colder"):
            spec["tints"].append([*COOL, 0.2])
    spec["tints"] = spec["tints"][-6:]


def _adjust_time(spec: dict[str, Any], ws: list[str]) -> None:
    for name in ("night", "sunset", "day"):
        if any(w in TIME_WORDS[name] for w in ws if w != "dark"):
            spec["time"] = name
            present = set(spec["elements"])
            if name == "night":
                present.discard("sun")
                present.add("moon")
            elif "sun" not in present and "moon" in present:
                present.discard("moon")
                present.add("sun")
            spec["elements"] = sorted(present)
            return


def _adjust_elements(spec: dict[str, Any], ws: list[str]) -> None:
    present = set(spec["elements"])
    removing = False
    for w in ws:
        if w in _REMOVE:
            removing = True
        elif w in _ADD:
            removing = False
        for name, keys in ELEMENT_WORDS.items():
            if w in keys:
                (present.discard if removing else present.add)(name)
    spec["elements"] = sorted(present)

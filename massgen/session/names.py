"""Safe names on disk: names from prompts, models or agent ids are sanitised (massgen.files claims them)."""

from __future__ import annotations

import re
import time
import unicodedata

MAX_STEM = 60
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DASHES = re.compile(r"-{2,}")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_EXT = re.compile(r"^[A-Za-z0-9]{1,10}$")


def safe_stem(text: object, default: str = "file", max_len: int = MAX_STEM) -> str:
    """A file-name stem from any text: ASCII letters, digits, '.', '_' and '-', never hidden or reserved."""
    flat = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    stem = _DASHES.sub("-", _UNSAFE.sub("-", flat)).strip("-._")[:max_len].strip("-._")
    if not stem or stem.split(".")[0].lower() in _RESERVED:
        stem = f"{default}-{stem}" if stem else default
    return stem


def safe_extension(ext: str | None, default: str = "bin") -> str:
    """An extension without the dot; anything odd becomes `default`."""
    clean = (ext or "").strip().lstrip(".").lower()
    return clean if _EXT.match(clean) else default


def safe_filename(text: object, extension: str | None, default: str = "file") -> str:
    """`<safe stem>.<safe extension>` for a name that came from a prompt, a model or an agent id."""
    return f"{safe_stem(text, default)}.{safe_extension(extension)}"


def timestamp_name(now: float | None = None) -> str:
    """A sortable local-time folder name such as 20260114-093005."""
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(now))

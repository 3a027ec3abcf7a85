"""Safe, unique names on disk: names from prompts or models are sanitised, and nothing is overwritten."""

from __future__ import annotations

import errno
import os
import re
import time
import unicodedata
from pathlib import Path

MAX_STEM = 60
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DASHES = re.compile(r"-{2,}")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_EXT = re.compile(r"^[A-Za-z0-9]{1,10}$")
MAX_SUFFIX = 10_000


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


def numbered(name: str, n: int) -> str:
    """`name` with `-n` before its extension (n >= 2); n == 1 gives `name` itself."""
    if n <= 1:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return f"{name}-{n}"
    return f"{stem}-{n}.{ext}"


def reserve_file(directory: Path, name: str) -> Path:
    """Create an empty placeholder at the first free `name`, `name-2`, ... and return its path.

    O_EXCL makes the claim atomic, so two writers can never pick the same name.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(1, MAX_SUFFIX):
        path = directory / numbered(name, n)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        os.close(fd)
        return path
    raise OSError(errno.EEXIST, f"{directory}: no free name for {name!r}; clear the folder")


def reserve_dir(parent: Path, name: str) -> Path:
    """Create the first free folder `name`, `name-2`, ... under `parent`."""
    parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, MAX_SUFFIX):
        path = parent / (name if n == 1 else f"{name}-{n}")
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise OSError(errno.EEXIST, f"{parent}: no free folder name for {name!r}; clear the folder")


def timestamp_name(now: float | None = None) -> str:
    """A sortable local-time folder name such as 20260114-093005."""
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(now))

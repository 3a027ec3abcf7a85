"""Paths in text the user typed: `@path` / `@"path with spaces"` mentions, and paths that arrived as
keystrokes (terminals that drop files without bracketed paste), found when the prompt is sent."""

from __future__ import annotations

import os
import re
import shlex
import stat
from pathlib import Path

from .paste import WSL_MOUNT_ROOT, Dropped, PathResolver, scan_paste

# @"quoted", @'quoted' (with '\'' escapes) or @bare, where bare may hold backslash-escaped spaces.
_AT_PATH = re.compile(r"""(?<!\S)@(?:"(?P<dq>[^"]+)"|'(?P<sq>(?:[^']|'\\'')+)'|(?P<bare>(?:\\.|[^\s"'])+))""")
# Shell words in free text: quoted runs or bare runs with backslash escapes.
_WORD = re.compile(r"""'(?:[^']|'\\'')*'|"[^"]*"|(?:\\.|[^\s'"])+""")
_TRAILING_PUNCTUATION = ".,;:!?)"


def extract_at_paths(text: str, cwd: Path | str, home: Path | str, *,
                     wsl_root: Path = WSL_MOUNT_ROOT) -> tuple[str, list[Dropped]]:
    """The text with each `@path` mention replaced by the bare path, and the paths mentioned.

    A quoted mention or one shaped like a path (/, ~, ./) is kept even when missing, so the user
    hears about it; a bare `@word` that names no file (`@everyone`) stays text."""
    resolve = PathResolver(Path(cwd), Path(home), wsl_root)
    found: list[Dropped] = []

    def replace(match: re.Match[str]) -> str:
        quoted = match.group("dq") or (match.group("sq") or "").replace("'\\''", "'")
        word, trail = quoted or _unescape(match.group("bare")), ""
        token = resolve(word)
        if not quoted and not token.exists and word.rstrip(_TRAILING_PUNCTUATION) != word:
            stripped = word.rstrip(_TRAILING_PUNCTUATION)
            word, trail, token = stripped, word[len(stripped):], resolve(stripped)
        if not (quoted or token.shaped or token.explicit or token.exists):
            return match.group(0)
        if token.dropped.path not in {d.path for d in found}:
            found.append(token.dropped)
        return word + trail

    return _AT_PATH.sub(replace, text), found


def find_typed_paths(text: str, cwd: Path | str, home: Path | str, *,
                     wsl_root: Path = WSL_MOUNT_ROOT) -> tuple[str, list[Dropped]]:
    """Existing files named in submitted text; the text becomes empty when it was nothing but a drop.

    Only words that are absolute, ~, file:// or quoted paths to an existing regular file count, so
    a question that mentions `/api/v1` or a folder is left alone."""
    dropped = scan_paste(text, cwd, home, wsl_root=wsl_root)
    if dropped is not None and any(d.exists for d in dropped):
        return "", dropped
    resolve = PathResolver(Path(cwd), Path(home), wsl_root)
    found: list[Dropped] = []
    for raw in _WORD.findall(text):
        word = _unquote(raw)
        if word is None or word.startswith("@"):
            continue
        token = resolve(word)
        if (token.shaped or raw[0] in "'\"") and _is_file(token.dropped.path) and token.dropped not in found:
            found.append(token.dropped)
    return text, found


def _is_file(path: Path) -> bool:
    """A regular file (links followed); False for anything stat cannot reach."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _unescape(word: str) -> str:
    """A bare word with its backslash escapes removed (`My\\ File.png` -> `My File.png`)."""
    return re.sub(r"\\(.)", r"\1", word)


def _unquote(raw: str) -> str | None:
    """One shell word's value, or None when its quoting is broken."""
    try:
        parts = shlex.split(raw, posix=True)
    except ValueError:
        return None
    return parts[0] if len(parts) == 1 else None

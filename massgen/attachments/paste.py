"""Which pastes are dropped files: terminals turn a drop into text, each in its own quoting style.

A paste is a drop when every token in it is a path and at least one exists (or all are explicit
file references: file:// URIs, Windows drive paths). Anything else stays text, so an ordinary
paste that merely mentions a path is never swallowed. Strategies, in order:
the whole paste as one path (kitty, Alacritty), file:// URI lines (file managers), one path per
line (kitty), shell words (GNOME/VTE, iTerm2, Terminal.app, WezTerm, Windows Terminal on WSL),
Windows double-quoted words (Windows Terminal)."""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote, urlsplit

MAX_PASTE_CHARS = 64 * 1024
MAX_TOKENS = 256
MAX_PATH_CHARS = 4096
WSL_MOUNT_ROOT = Path("/mnt")

_DRIVE = re.compile(r"^([A-Za-z]):[\\/](.*)$", re.DOTALL)
_UNC = re.compile(r"^\\\\[^\\]+\\")
_WINDOWS_WORD = re.compile(r'"([^"]*)"|(\S+)')
_CLIPBOARD_VERBS = {"copy", "cut"}  # x-special/gnome-copied-files starts with one of these


@dataclass(frozen=True)
class Dropped:
    """One path found in a paste: where it points, the text it came from, and why it cannot be used."""

    path: Path
    token: str
    problem: str | None = None

    @property
    def exists(self) -> bool:
        return self.problem is None and os.path.lexists(self.path)


@dataclass(frozen=True)
class Token:
    """A resolved word: `shaped` when it looks like a path (/, ~, ./, URI, drive), `explicit` when
    its form alone says it names a file (URI, drive path), `exists` when something is there."""

    dropped: Dropped
    shaped: bool
    explicit: bool
    exists: bool = False


def parse_paste(text: str, cwd: Path | str, home: Path | str, *, wsl_root: Path = WSL_MOUNT_ROOT) -> list[Path] | None:
    """The paths a paste names (missing ones included, for a message), or None when it is text."""
    found = scan_paste(text, cwd, home, wsl_root=wsl_root)
    return None if found is None else [d.path for d in found]


def scan_paste(text: str, cwd: Path | str, home: Path | str, *, wsl_root: Path = WSL_MOUNT_ROOT) -> list[Dropped] | None:
    """Like parse_paste, with each path's source token and any problem that is not 'file not found'."""
    if not text or not text.strip() or len(text) > MAX_PASTE_CHARS or "\0" in text:
        return None
    resolve = PathResolver(Path(cwd), Path(home), wsl_root)
    fallback: list[Token] | None = None
    for split in _STRATEGIES:
        words = split(text)
        if not words or len(words) > MAX_TOKENS:
            continue
        tokens = [resolve(word) for word in words]
        if all(t.exists for t in tokens):
            return _unique(tokens)
        if fallback is None and _is_drop(tokens):
            fallback = tokens
    return _unique(fallback) if fallback else None


def _is_drop(tokens: list[Token]) -> bool:
    """Every token looks like a path, and one exists or all are explicit file references."""
    if not all(t.shaped or t.exists for t in tokens):
        return False
    return any(t.exists for t in tokens) or all(t.explicit for t in tokens)


def _unique(tokens: Iterable[Token]) -> list[Dropped]:
    """Each path once, in paste order (a drop can name the same file twice)."""
    seen: set[Path] = set()
    out: list[Dropped] = []
    for token in tokens:
        if token.dropped.path not in seen:
            seen.add(token.dropped.path)
            out.append(token.dropped)
    return out


# --- splitting a paste into words -------------------------------------------------------------


def _whole(text: str) -> list[str]:
    return [text.strip()]


def _uri_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and lines[0].lower() in _CLIPBOARD_VERBS:
        lines = lines[1:]
    return lines if lines and all(line.lower().startswith("file:") for line in lines) else []


def _lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines if len(lines) > 1 else []


def _shell_words(text: str) -> list[str]:
    try:
        return shlex.split(text, posix=True)
    except ValueError:  # unbalanced quotes: not shell-quoted paths
        return []


def _windows_words(text: str) -> list[str]:
    return [quoted or bare for quoted, bare in _WINDOWS_WORD.findall(text)]


_STRATEGIES: tuple[Callable[[str], list[str]], ...] = (_whole, _uri_lines, _lines, _shell_words, _windows_words)


# --- turning one word into a path --------------------------------------------------------------


class PathResolver:
    """Resolves words against a cwd and a home, mapping Windows drives onto WSL mounts."""

    def __init__(self, cwd: Path, home: Path, wsl_root: Path) -> None:
        self.cwd, self.home, self.wsl_root = cwd, home, wsl_root

    def __call__(self, word: str) -> Token:
        token = self._resolve(word)
        exists = token.dropped.exists  # one lstat per word
        if exists and not token.shaped and os.path.isdir(token.dropped.path):
            exists = False  # a bare word such as "tests" that happens to name a folder here is text
        return replace(token, exists=exists)

    def _resolve(self, word: str) -> Token:
        if not word or len(word) > MAX_PATH_CHARS:
            return Token(Dropped(Path(word or "."), word, "not a path"), False, False)
        if word.lower().startswith("file:"):
            return self._uri(word)
        if _DRIVE.match(word) or _UNC.match(word):
            return self._windows(word, word)
        return self._posix(word)

    def _posix(self, word: str) -> Token:
        shaped = word.startswith(("/", "~", "./", "../"))
        if word == "~" or word.startswith("~/"):
            path = self.home / word[2:]
        elif word.startswith("~"):
            path = Path(os.path.expanduser(word))
        else:
            path = self.cwd / word
        return Token(Dropped(Path(os.path.normpath(path)), word), shaped, False)

    def _uri(self, word: str) -> Token:
        parts = urlsplit(word)
        path = unquote(parts.path, errors="surrogateescape")
        if parts.netloc not in ("", "localhost"):
            problem = f"is a file on another computer ({parts.netloc})"
            return Token(Dropped(Path(path), word, problem), True, True)
        if re.match(r"^/[A-Za-z]:/", path):  # file:///C:/Users/... from Windows apps
            return self._windows(path[1:], word)
        return Token(Dropped(Path(os.path.normpath(path)), word), True, True)

    def _windows(self, windows_path: str, word: str) -> Token:
        if os.name == "nt":
            return Token(Dropped(Path(windows_path), word), True, True)
        match = _DRIVE.match(windows_path)
        if match is None:
            problem = "is a Windows network path, which cannot be opened from here"
            return Token(Dropped(Path(windows_path), word, problem), True, True)
        drive, rest = match.group(1).lower(), match.group(2).replace("\\", "/")
        mount = self.wsl_root / drive
        if not mount.is_dir():
            problem = f"is a Windows path and drive {drive.upper()}: is not mounted here at {mount}"
            return Token(Dropped(Path(windows_path), word, problem), True, True)
        return Token(Dropped(Path(os.path.normpath(mount / rest)), word), True, True)

"""The session's continuation store on disk (continuations.json), so images can be refined after a restart.

File paths inside the session folder are saved relative to it, so a session that is copied or
moved (a scratch session saved with Ctrl+S) still finds its files when reopened.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

if TYPE_CHECKING:
    from massgen.generation.store import ContinuationStore

CONTINUATIONS = "continuations.json"


def load_store(path: Path, folder: Path, options: Mapping[str, Any] | None = None) -> "ContinuationStore":
    """The store saved at `path` (empty when there is none); ContinuationError names a damaged file."""
    from massgen.generation.store import ContinuationError, ContinuationStore

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ContinuationStore(**dict(options or {}))
    except (OSError, UnicodeDecodeError) as exc:
        raise ContinuationError(f"{path}: cannot be read ({exc}); delete it to start afresh") from None
    return ContinuationStore.from_json(_rebased(text, lambda p: _absolute(p, folder)), source=str(path),
                                       **dict(options or {}))


def store_text(store: "ContinuationStore", folder: Path) -> str:
    """The store as JSON, with paths inside `folder` made relative to it."""
    return _rebased(store.to_json(), lambda p: _relative(p, folder))


def _rebased(text: str, change: Callable[[str], str]) -> str:
    """`text` with each entry's `path` passed through `change`; a malformed file is left for the store to report."""
    try:
        payload = json.loads(text)
    except ValueError:
        return text
    entries = payload.get("entries") if isinstance(payload, dict) else None
    if not isinstance(entries, list):
        return text
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            entry["path"] = change(entry["path"])
    return json.dumps(payload, indent=1)


def _relative(path: str, folder: Path) -> str:
    try:
        return Path(path).resolve().relative_to(folder).as_posix()
    except ValueError:
        return path


def _absolute(path: str, folder: Path) -> str:
    candidate = Path(path)
    return str(candidate if candidate.is_absolute() else folder / candidate)

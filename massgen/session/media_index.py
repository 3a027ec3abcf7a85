"""The session's media index (media.json) as records, and the version history of each image.

Every saved file has one entry. An edit adds an entry with `parent` (the file it was made from),
`lineage` (the file of the first version) and `version` (1, 2, 3 ... in the order they were made);
an entry without these fields is the first version of its own lineage. Files are never replaced,
so every version stays on disk.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence


class MediaIndexError(ValueError):
    """media.json cannot be read; the message names the file and the fix."""


@dataclass(frozen=True)
class MediaRecord:
    """One saved media file of the session, with where it came from and its place in its lineage."""

    file: str
    path: Path
    agent: str | None = None
    media_id: str | None = None
    media_type: str | None = None
    mime_type: str | None = None
    continuation_id: str | None = None
    generator: str | None = None
    prompt: str | None = None
    width: int | None = None
    height: int | None = None
    size_bytes: int | None = None
    version: int = 1
    parent: str | None = None
    lineage: str = ""
    edit: str | None = None
    edited_via: str | None = None
    continuation_saved: bool = False

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any], folder: Path) -> "MediaRecord":
        """A record from one media.json entry; paths are relative to the session folder."""
        file = str(entry["file"])
        known = {k: entry.get(k) for k in ("agent", "media_id", "media_type", "mime_type", "continuation_id",
                                           "generator", "prompt", "width", "height", "size_bytes", "parent",
                                           "edit", "edited_via")}
        version = entry.get("version")
        version = version if isinstance(version, int) and not isinstance(version, bool) and version > 0 else 1
        return cls(file=file, path=folder / file, version=version,
                   lineage=str(entry.get("lineage") or file), continuation_saved=bool(entry.get("continuation_saved")),
                   **known)

    def matches(self, key: str, resolved: Path | None) -> bool:
        """Whether `key` names this record: its file, path, file name, media id or continuation id."""
        if key in (self.file, self.media_id, self.continuation_id, self.path.name):
            return True
        return resolved is not None and resolved == self.path


def load_index(path: Path) -> list[dict[str, Any]]:
    """The entries of an existing media.json (empty when there is none); a clear error when damaged."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise MediaIndexError(f"{path}: cannot be read ({exc}); restore it or move it away to start a new index"
                              ) from None
    try:
        entries = json.loads(text)
    except ValueError as exc:
        raise MediaIndexError(f"{path}: not valid JSON ({exc}); restore it or move it away to start a new index"
                              ) from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("file"), str)
                                                for e in entries):
        raise MediaIndexError(f"{path}: expected a list of entries with a 'file'; restore it or move it away")
    return entries


def records(entries: Iterable[Mapping[str, Any]], folder: Path) -> list[MediaRecord]:
    return [MediaRecord.from_entry(entry, folder) for entry in entries]


def find(entries: Sequence[Mapping[str, Any]], key: str | os.PathLike[str], folder: Path) -> MediaRecord | None:
    """The record named by a path (absolute or relative to the session), file name, media id or continuation id.

    The newest match wins, so a media id reused by a later file names the later one.
    """
    text = os.fspath(key).strip()
    if not text:
        return None
    resolved = _resolved(text, folder)
    for record in reversed(records(entries, folder)):
        if record.matches(text, resolved):
            return record
    return None


def lineage_of(entries: Sequence[Mapping[str, Any]], record: MediaRecord, folder: Path) -> list[MediaRecord]:
    """Every version in the record's lineage, first version first."""
    family = [r for r in records(entries, folder) if r.lineage == record.lineage]
    return sorted(family, key=lambda r: r.version)


def version_fields(entries: Sequence[Mapping[str, Any]], parent: MediaRecord, folder: Path,
                   edit: str | None, via: str | None) -> dict[str, Any]:
    """The index fields of a new version made from `parent`: next number in its lineage, parent, lineage."""
    latest = max((r.version for r in lineage_of(entries, parent, folder)), default=parent.version)
    return {"version": latest + 1, "parent": parent.file, "lineage": parent.lineage, "edit": edit,
            "edited_via": via}


def _resolved(text: str, folder: Path) -> Path | None:
    """`text` as an absolute path (relative ones are taken from the session folder), or None if it is not one."""
    try:
        path = Path(text).expanduser()
        return (path if path.is_absolute() else folder / path).resolve()
    except (OSError, ValueError):
        return None

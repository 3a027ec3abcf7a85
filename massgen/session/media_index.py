"""The session's media index (media.json): one MediaItem per saved file, and the versions of each image.

An edit is indexed as a new item with `parent` (the version it was made from), `lineage` (the first
version) and `version` (1, 2, 3 ... in the order they were made); an item without them is the first
version of its own lineage. Files are never replaced, so every version stays on disk. In memory
paths are absolute; in media.json they are relative to the session folder ("file", "parent",
"lineage"), so a session folder can be moved.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from massgen.files import relative_within
from massgen.media.item import MediaItem

VERSION_PATHS = ("parent", "lineage")  # paths besides the file itself, relative on disk
_LEGACY = ("continuation_saved",)  # kept by older sessions; that knowledge now lives in the continuation store


class MediaIndexError(ValueError):
    """media.json cannot be read; the message names the file and the fix."""


def load_index(path: Path, folder: Path) -> tuple[list[MediaItem], list[str]]:
    """The items of an existing media.json (none when there is none), and the continuation ids older
    sessions marked as saved; a clear error when the file is damaged."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
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
    try:
        items = [item_of(entry, folder) for entry in entries]
    except (TypeError, ValueError) as exc:
        raise MediaIndexError(f"{path}: an entry is damaged ({exc}); restore it or move it away") from None
    saved = [str(e["continuation_id"]) for e in entries if e.get("continuation_saved") and e.get("continuation_id")]
    return items, saved


def item_of(entry: Mapping[str, Any], folder: Path) -> MediaItem:
    """The item of one media.json entry (paths made absolute; a first version's lineage left empty)."""
    fields = {k: v for k, v in entry.items() if k not in ("file", *_LEGACY)}
    fields["path"] = str(folder / str(entry["file"]))
    for key in VERSION_PATHS:
        if isinstance(fields.get(key), str):
            fields[key] = str(folder / fields[key])
    if fields.get("lineage") == fields["path"]:
        fields["lineage"] = None
    return MediaItem.from_dict(fields, strict=False)


def entry_of(item: MediaItem, folder: Path) -> dict[str, Any]:
    """The media.json entry of an item: its fields, with paths relative to the session folder."""
    fields = item.to_dict()
    entry: dict[str, Any] = {"file": file_of(item, folder), "media_type": item.media_type.value}
    entry.update({k: v for k, v in fields.items() if k != "path"})
    if entry.get("filename") == os.path.basename(entry["file"]):
        del entry["filename"]  # the file's own name
    for key in VERSION_PATHS:
        if isinstance(entry.get(key), str):
            entry[key] = relative_within(entry[key], folder)
    return entry


def file_of(item: MediaItem, folder: Path) -> str:
    """The item's file as media.json names it: its path relative to the session folder."""
    return relative_within(item.path or "", folder)


def find(items: Sequence[MediaItem], key: str | os.PathLike[str], folder: Path) -> MediaItem | None:
    """The item named by a path (absolute or relative to the session), file name, media id or continuation id.

    The newest match wins, so a media id reused by a later file names the later one.
    """
    text = os.fspath(key).strip()
    if not text:
        return None
    resolved = _resolved(text, folder)
    for item in reversed(items):
        if _matches(item, text, resolved, folder):
            return item
    return None


def lineage_of(items: Iterable[MediaItem], item: MediaItem) -> list[MediaItem]:
    """Every version in the item's lineage, first version first."""
    root = item.lineage or item.path
    return sorted((i for i in items if (i.lineage or i.path) == root), key=lambda i: i.version)


def next_version(items: Sequence[MediaItem], parent: MediaItem, new: MediaItem, edit: str | None,
                 via: str | None) -> MediaItem:
    """`new` as the next version of `parent`'s lineage: the next number in it, its parent, its first version."""
    latest = max((i.version for i in lineage_of(items, parent)), default=parent.version)
    return replace(new, version=latest + 1, parent=parent.path, lineage=parent.lineage or parent.path, edit=edit,
                   edited_via=via)


def _matches(item: MediaItem, key: str, resolved: Path | None, folder: Path) -> bool:
    """Whether `key` names this item: its file, path, file name, media id or continuation id."""
    path = Path(item.path or "")
    if key in (file_of(item, folder), item.media_id, item.continuation_id, path.name):
        return True
    return resolved is not None and resolved == path


def _resolved(text: str, folder: Path) -> Path | None:
    """`text` as an absolute path (relative ones are taken from the session folder), or None if it is not one."""
    try:
        path = Path(text).expanduser()
        return (path if path.is_absolute() else folder / path).resolve()
    except (OSError, ValueError):
        return None

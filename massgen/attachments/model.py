"""An attachment as the user chose it: the path, the MediaItem probing found, or the one-line reason it is
unusable.

Loading probes headers only (massgen.media.probe); `load_attachments` does it in a thread so the
event loop never waits on a disk."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from massgen.media.errors import MediaError, display_name
from massgen.media.item import MediaItem
from massgen.media.probe import probe
from massgen.media.words import ICONS, facts

from .paste import Dropped

ERROR_ICON = "✗"


@dataclass(frozen=True)
class Attachment:
    """One chosen file: `item` (what probing found) when it could be probed, else `error` (a one-line
    message naming the file) and `problem` (the same without the name, for places that already show it)."""

    path: Path
    item: MediaItem | None = None
    error: str | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.item is not None and self.error is None

    @property
    def name(self) -> str:
        """The file name, printable even when it holds newlines or undecodable bytes."""
        return display_name(self.path.name or str(self.path))

    @property
    def key(self) -> str:
        """Identity for de-duplication: the real path (links resolved) when known."""
        return self.item.realpath if self.item and self.item.realpath else os.path.normpath(str(self.path))

    @property
    def icon(self) -> str:
        return ICONS[self.item.media_type] if self.item else ERROR_ICON

    def facts(self) -> list[str]:
        """Type, size and dimensions or duration: the words a chip shows."""
        return facts(self.item) if self.item is not None else []

    def summary(self) -> str:
        """`photo.png · PNG · 1.2 MB · 640x480`, or `photo.png · <problem>; <fix>`."""
        return " · ".join([self.name, *(self.facts() if self.ok else [self.problem or "unusable"])])


def load_attachment(item: Attachment | Path | str | Dropped | Any) -> Attachment:
    """An Attachment as given, or one path probed (blocking: headers only); anything else holding a `path`
    is probed by it. A problem becomes the attachment's error, never an exception."""
    if isinstance(item, Attachment):
        return item
    if not isinstance(item, (str, os.PathLike, Dropped)):
        path = getattr(item, "path", None)
        if not isinstance(path, (str, os.PathLike)):
            return failed(Path(str(item)), MediaError(repr(item), "is not a local file", "attach a file by its path"))
        item = path
    if isinstance(item, Dropped):
        if item.problem:
            error = MediaError(item.token, item.problem, "copy the file onto this computer and attach the copy")
            return failed(item.path, error)
        item = item.path
    path = Path(item)
    try:
        return Attachment(path, item=probe(path))
    except MediaError as exc:
        return failed(path, exc)


def failed(path: Path, error: MediaError) -> Attachment:
    """An attachment that cannot be used, carrying the error's message."""
    return Attachment(path, error=str(error), problem=f"{error.problem}; {error.fix}")


async def load_attachments(items: Iterable[Attachment | Path | str | Dropped | Any]) -> list[Attachment]:
    """`load_attachment` for several, in a worker thread, in order."""
    batch = list(items)
    return await asyncio.to_thread(lambda: [load_attachment(item) for item in batch])


def add_unique(current: Sequence[Attachment], new: Iterable[Attachment]) -> tuple[list[Attachment], list[Attachment]]:
    """`current` plus the new attachments it does not already hold, and the duplicates that were skipped."""
    kept, skipped = list(current), []
    seen = {a.key for a in kept}
    for attachment in new:
        if attachment.key in seen:
            skipped.append(attachment)
        else:
            seen.add(attachment.key)
            kept.append(attachment)
    return kept, skipped

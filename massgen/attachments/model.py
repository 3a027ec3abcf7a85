"""An attachment as the user chose it: the path, what probing found, or the one-line reason it is unusable.

Loading probes headers only (massgen.media.probe); `load_attachments` does it in a thread so the
event loop never waits on a disk."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from massgen.media.errors import MediaError, display_name
from massgen.media.probe import MediaInfo, probe
from massgen.media.verdict import human_size
from massgen.stream_chunk import MediaType

from .paste import Dropped

_ICONS = {MediaType.IMAGE: "▣", MediaType.AUDIO: "♪", MediaType.VIDEO: "▶", MediaType.DOCUMENT: "▤", MediaType.FILE: "▤"}
ERROR_ICON = "✗"


@dataclass(frozen=True)
class Attachment:
    """One chosen file: `info` when it could be probed, else `error` (a one-line message naming the
    file) and `problem` (the same without the name, for places that already show it)."""

    path: Path
    info: MediaInfo | None = None
    error: str | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.info is not None and self.error is None

    @property
    def name(self) -> str:
        """The file name, printable even when it holds newlines or undecodable bytes."""
        return display_name(self.path.name or str(self.path))

    @property
    def key(self) -> str:
        """Identity for de-duplication: the real path (links resolved) when known."""
        return self.info.realpath if self.info and self.info.realpath else os.path.normpath(str(self.path))

    @property
    def icon(self) -> str:
        return _ICONS.get(self.info.media_type, "▤") if self.info else ERROR_ICON

    def facts(self) -> list[str]:
        """Type, size and dimensions or duration: the words a chip shows."""
        if self.info is None:
            return []
        info = self.info
        parts = [info.extension.upper() or info.mime_type, human_size(info.size_bytes)]
        if info.width and info.height:
            parts.append(f"{info.width}x{info.height}")
        if info.duration_seconds:
            parts.append(human_duration(info.duration_seconds))
        return parts

    def summary(self) -> str:
        """`photo.png · PNG · 1.2 MB · 640x480`, or `photo.png · <problem>; <fix>`."""
        return " · ".join([self.name, *(self.facts() if self.ok else [self.problem or "unusable"])])


def load_attachment(item: "Attachment | Dropped | str | os.PathLike[str]") -> Attachment:
    """Probe one path (blocking: headers only); a problem becomes the attachment's error, never an exception.

    An Attachment (as the attachment bar holds it) is taken as it is: it was probed when it was added."""
    if isinstance(item, Attachment):
        return item
    if isinstance(item, Dropped):
        if item.problem:
            error = MediaError(item.token, item.problem, "copy the file onto this computer and attach the copy")
            return failed(item.path, error)
        item = item.path
    path = Path(item)
    try:
        return Attachment(path, info=probe(path))
    except MediaError as exc:
        return failed(path, exc)


def failed(path: Path, error: MediaError) -> Attachment:
    """An attachment that cannot be used, carrying the error's message."""
    return Attachment(path, error=str(error), problem=f"{error.problem}; {error.fix}")


async def load_attachments(items: "Iterable[Attachment | Dropped | str | os.PathLike[str]]") -> list[Attachment]:
    """Probe several paths in a worker thread, in order."""
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


def human_duration(seconds: float) -> str:
    """m:ss, or h:mm:ss for an hour or more."""
    hours, rest = divmod(int(round(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"

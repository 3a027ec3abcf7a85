"""Words about media for people and models: sizes, durations, captions, notes. Functions of a MediaItem."""

from __future__ import annotations

import os

from .item import MediaItem
from .kinds import MediaType

ICONS = {MediaType.IMAGE: "▣", MediaType.AUDIO: "♪", MediaType.VIDEO: "▶", MediaType.DOCUMENT: "▤", MediaType.FILE: "▤"}


def human_size(n: int) -> str:
    """Bytes in the units providers document (MB = 2**20 bytes), e.g. '5 MB', '6.2 MB', '900 KB', '512 B'."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value >= 10 or value == int(value) else f"{value:.1f} {unit}"
    return f"{n} B"


def human_duration(seconds: float) -> str:
    """m:ss, or h:mm:ss for an hour or more."""
    hours, rest = divmod(int(round(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def size_of(item: MediaItem) -> int | None:
    """The item's size: as described, else of the bytes held, else of its file on disk."""
    if item.size_bytes is not None:
        return item.size_bytes
    if item.data is not None:
        return len(item.data)
    if item.path is not None:
        try:
            return os.stat(item.path).st_size
        except OSError:
            return None
    return None


def version_label(item: MediaItem) -> str:
    """'v2 of poster.png' for a later version of an image; empty for a first version."""
    root = os.path.basename(item.lineage) if item.lineage else item.name
    return f"v{item.version} of {root}" if item.version > 1 else ""


def short_label(item: MediaItem, width: int = 40) -> str:
    """The version label or name, shortened in the middle (keeping the extension) when it is long."""
    label = version_label(item) or item.name
    if len(label) <= width:
        return label
    keep = width - 1
    return label[: keep - keep // 3] + "…" + label[-(keep // 3):]


def caption(item: MediaItem) -> str:
    """`▣ image · name · 512×512 · 1.2 MB · 0:42`: the facts a user wants at a glance."""
    kind = item.media_type
    parts = [f"{ICONS[kind]} {kind.value}", short_label(item)]
    if item.width and item.height:
        parts.append(f"{item.width}×{item.height}")
    size = size_of(item)
    if size is not None:
        parts.append(human_size(size))
    if item.duration_seconds is not None:
        parts.append(human_duration(item.duration_seconds))
    return " · ".join(parts)


def facts(item: MediaItem) -> list[str]:
    """Type, size and dimensions or duration: `['PNG', '1.2 MB', '640x480']`, the words an attachment chip shows."""
    parts = [(item.extension or "").upper() or item.mime_type]
    if item.size_bytes is not None:
        parts.append(human_size(item.size_bytes))
    if item.width and item.height:
        parts.append(f"{item.width}x{item.height}")
    if item.duration_seconds:
        parts.append(human_duration(item.duration_seconds))
    return parts


def describe(item: MediaItem) -> str:
    """'cityscape.png (image/png, 512x512, 34 KB)': how a note to a model names a file."""
    parts = [item.mime_type]
    if item.width and item.height:
        parts.append(f"{item.width}x{item.height}")
    if item.size_bytes is not None:
        parts.append(human_size(item.size_bytes))
    name = os.path.basename(item.path) if item.path else item.name
    return f"{name} ({', '.join(parts)})"

"""MediaItem: the one description of a media file, wherever massgen meets one.

MEDIA chunks carry it, generation returns it, the session indexes it (media.json), the orchestrator
shares it between agents, an attachment holds it and the widgets show it. `media_type` is a
MediaType everywhere; text only at the JSON edge (`to_dict` / `from_dict`).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Mapping

from massgen.enums import coerce_enum

from .kinds import UNKNOWN_MIME, MediaType, media_type_for

# Names older files gave a field: "agent_id" in a result's media, "backend" in a continuation entry.
_OLD_NAMES = {"agent_id": "agent", "backend": "generator"}
_NOT_SAVED = ("data", "realpath", "mtime_ns")  # facts of this process's memory and disk, not of the media


@dataclass(frozen=True)
class MediaItem:
    """One image, sound, video or document: what it is, where it is, who made it and how, and its version.

    Only `mime_type` is required (`MediaMetadata(mime_type=..., width=..., height=...)` builds one);
    `media_type` follows from it unless given. Where it is: `path`, `url`, `file_id`, or `data`
    (bytes held in memory). `parent` and `lineage` are paths too: the version it was made from and
    the first version of its line (`version` 1, 2, 3 ... in the order they were made).
    """

    # what it is
    mime_type: str
    size_bytes: int | None = None
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    filename: str | None = None
    checksum: str | None = None
    # how it was made, and the id that lets it be refined later
    continuation_id: str | None = None
    generator: str | None = None
    prompt: str | None = None
    model: str | None = None
    revised_prompt: str | None = None
    media_type: MediaType = None  # type: ignore[assignment]  # None means "from mime_type" (__post_init__)
    # where it is
    path: str | None = None
    url: str | None = None
    file_id: str | None = None
    data: bytes | None = field(default=None, repr=False, compare=False)
    # which one, and whose
    media_id: str | None = None
    agent: str | None = None
    # its place among the versions of an edited image
    version: int = 1
    parent: str | None = None
    lineage: str | None = None
    edit: str | None = None
    edited_via: str | None = None
    # what probing the content found: its usual extension, words for messages ("a PNG image"), its file's identity
    extension: str | None = None
    label: str | None = None
    realpath: str | None = field(default=None, compare=False)
    mtime_ns: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        kind = coerce_enum(MediaType, self.media_type, "media_type")
        if kind is None:
            kind = media_type_for(self.mime_type) if isinstance(self.mime_type, str) else MediaType.FILE
        object.__setattr__(self, "media_type", kind)
        if isinstance(self.path, os.PathLike):
            object.__setattr__(self, "path", os.fspath(self.path))

    @property
    def name(self) -> str:
        """How the item is named on screen: its file name, else its path's last part, else its kind and id."""
        if self.filename:
            return self.filename
        if self.path:
            return os.path.basename(self.path)
        return f"{self.media_type.value}-{self.media_id or 'item'}"

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items() if k != "mime_type")
        return f"MediaItem({self.mime_type!r}{', ' if shown else ''}{shown})"

    def is_consistent(self) -> bool:
        """A MIME type with a slash, sizes non-negative and dimensions positive where given."""
        if not isinstance(self.mime_type, str) or "/" not in self.mime_type:
            return False
        if self.size_bytes is not None and self.size_bytes < 0:
            return False
        for dim in (self.width, self.height):
            if dim is not None and dim <= 0:
                return False
        return self.duration_seconds is None or self.duration_seconds >= 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields that are set (bytes in memory and file identity left out)."""
        out = {k: v for k, v in asdict(self).items() if v is not None and k not in _NOT_SAVED}
        if self.media_type == media_type_for(str(self.mime_type)):
            del out["media_type"]  # it follows from mime_type
        else:
            out["media_type"] = self.media_type.value
        if self.version == 1:
            del out["version"]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, strict: bool = True) -> "MediaItem":
        """The item `to_dict` gave (or an older file's entry); unknown fields are an error when `strict`."""
        renamed = {_OLD_NAMES.get(k, k): v for k, v in data.items()}
        unknown = set(renamed) - _FIELDS
        if unknown and strict:
            raise ValueError(f"media item: unknown fields {sorted(unknown)}")
        known = {k: v for k, v in renamed.items() if k in _FIELDS}
        version = known.get("version")
        if not (isinstance(version, int) and not isinstance(version, bool) and version > 0):
            known.pop("version", None)
        known.setdefault("mime_type", UNKNOWN_MIME)
        return cls(**known)


_FIELDS = {f.name for f in fields(MediaItem)}

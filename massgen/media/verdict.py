"""What one backend will do with one attachment: send as is, fit (images), upload, or leave out, and why.

The attachment bar shows these per agent, so every reason is a short sentence a user can act on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .fit import FitTarget
from .imaging import PIL_FORMATS
from .item import MediaItem
from .kinds import MediaType
from .limits import BackendLimits, MediaLimit
from .ref import MediaRef
from .words import human_size

Action = Literal["as_is", "fit", "upload", "reject"]
_KIND_WORDS = {MediaType.IMAGE: "images", MediaType.AUDIO: "audio", MediaType.VIDEO: "video",
               MediaType.DOCUMENT: "documents", MediaType.FILE: "files"}


@dataclass(frozen=True)
class Verdict:
    """`target_bytes`/`target_width`/`target_height` say what fitting aims for (action "fit")."""

    action: Action
    reason: str
    target_bytes: int | None = None
    target_width: int | None = None
    target_height: int | None = None

    @property
    def sendable(self) -> bool:
        return self.action != "reject"


def check_for_backend(media: MediaItem | MediaRef, limits: BackendLimits) -> Verdict:
    """Decide how `limits.backend_type` takes this media; never raises for media it cannot take."""
    info = media.probed() if isinstance(media, MediaRef) else media
    item = media.item if isinstance(media, MediaRef) else media
    kind = item.media_type
    mime = item.mime_type
    size = item.size_bytes
    backend = limits.backend_type
    limit = limits.limit(kind)
    if limit is None:
        note = f" ({limits.note})" if limits.note else ""
        return Verdict("reject", f"{backend} does not take {_KIND_WORDS[kind]}{note}")
    if kind == MediaType.IMAGE:
        return _image_verdict(info, mime, size, limit, backend)
    if limit.mime_types and mime not in limit.mime_types:
        return Verdict("reject", f"{backend} does not take {mime}; it takes {_list(limit.mime_types)}")
    if size is not None and limit.max_bytes is not None and size > limit.max_bytes:
        if limit.upload_max_bytes and size <= limit.upload_max_bytes:
            return Verdict("upload", f"{human_size(size)} is over the {human_size(limit.max_bytes)} inline limit; "
                                     f"it will go through {backend}'s file upload", limit.upload_max_bytes)
        ceiling = max(limit.max_bytes, limit.upload_max_bytes or 0)
        return Verdict("reject", f"{human_size(size)} is over {backend}'s {human_size(ceiling)} limit for "
                                 f"{_KIND_WORDS[kind]}", ceiling)
    return Verdict("as_is", "fits")


def _image_verdict(info: MediaItem | None, mime: str, size: int | None, limit: MediaLimit, backend: str) -> Verdict:
    problems = []
    if limit.mime_types and mime not in limit.mime_types:
        problems.append(f"{backend} does not take {mime}")
    if size is not None and limit.max_bytes is not None and size > limit.max_bytes:
        problems.append(f"{human_size(size)} is over {backend}'s {human_size(limit.max_bytes)} limit")
    width, height = (info.width, info.height) if info else (None, None)
    target_w, target_h = width, height
    if width and height:
        target_w, target_h = FitTarget(max_pixels=limit.max_pixels, max_side=limit.max_side).size_for(width, height)
        if (target_w, target_h) != (width, height):
            problems.append(f"{width}x{height} is over {backend}'s size limit")
    if not problems:
        return Verdict("as_is", "fits")
    if mime not in PIL_FORMATS or info is None:
        if limit.upload_max_bytes and size is not None and size <= limit.upload_max_bytes and \
                (not limit.mime_types or mime in limit.mime_types):
            return Verdict("upload", "; ".join(problems) + f"; it will go through {backend}'s file upload",
                           limit.upload_max_bytes)
        return Verdict("reject", "; ".join(problems) + "; convert it to PNG or JPEG to send it")
    return Verdict("fit", "; ".join(problems) + f"; it will be resized to {target_w}x{target_h}"
                   if (target_w, target_h) != (width, height) else "; ".join(problems) + "; it will be re-encoded",
                   limit.max_bytes, target_w, target_h)


def _list(mimes: frozenset[str]) -> str:
    return ", ".join(sorted(m.split("/", 1)[1].upper() for m in mimes))

"""Whether one media item may go into one provider request, and the note that stands in when it may not.

Two questions, asked in this order:
1. Can the API's request shape carry it at all (a `Wire`, defined beside each converter: which media
   types, by which sources, in which roles; MIME sets are limits.py's own constants)?
2. Does this backend accept it (the caller's `BackendLimits` from `massgen.media.limits_for`, the one
   table of what each backend takes: media types, MIME types, sizes)?
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from massgen.media.kinds import MediaType
from massgen.media.limits import BackendLimits, limits_for
from massgen.media.words import human_size

from .media_part import MediaPart


@dataclass(frozen=True)
class Wire:
    """What one API's request shape can carry; `inline_mime[t]` None means any MIME type."""

    label: str
    sources: Mapping[MediaType, frozenset[str]]
    media_roles: frozenset[str]
    inline_mime: Mapping[MediaType, frozenset[str] | None] = field(default_factory=dict)


class Unsendable(Exception):
    """Raised by a part builder when it finds, late, that an item cannot be sent; carries the reason."""


def resolve_limits(limits: BackendLimits | str | None) -> BackendLimits | None:
    """A BackendLimits from an instance, a backend type name (looked up in the one table), or None."""
    if limits is None or isinstance(limits, BackendLimits):
        return limits
    return limits_for(str(limits))


def refusal(media: MediaPart, role: str, wire: Wire, limits: BackendLimits | None) -> str | None:
    """Why `media` cannot go into a `role` message of this API for this backend, or None if it can."""
    if media.problem:
        return media.problem
    reason = _wire_refusal(media, role, wire)
    if reason is None and limits is not None:
        reason = _limits_refusal(media, limits)
    return reason


def note(media: MediaPart, reason: str) -> str:
    """The explicit text that replaces an item a provider cannot take."""
    label = f" {media.label!r}" if media.label else ""
    return f"[{media.kind.value}{label} not sent: {reason}]"


def _wire_refusal(media: MediaPart, role: str, wire: Wire) -> str | None:
    kind = media.kind.value
    sources = wire.sources.get(media.kind)
    if not sources:
        return f"{wire.label} has no {kind} input"
    if role not in wire.media_roles:
        where = " and ".join(sorted(_ROLE_WORDS[r] for r in wire.media_roles))
        return f"{wire.label} takes {kind} input only in {where}"
    if media.source not in sources:
        ways = " or ".join(_SOURCE_WORDS[s] for s in sorted(sources))
        return f"{wire.label} takes {kind} only as {ways}, not as {_SOURCE_WORDS[media.source]}"
    allowed = wire.inline_mime.get(media.kind)
    if allowed and _mime_refused(media, allowed):
        return f"{wire.label} takes {kind} only as {_mime_list(allowed)}, not {media.mime or 'an unknown type'}"
    return None


def _mime_refused(media: MediaPart, allowed: frozenset[str]) -> bool:
    """Inline data must have an allowed type; by URL or file id, only a known type is checked."""
    if media.mime is None:
        return media.source == "inline"
    return media.mime not in allowed


def _limits_refusal(media: MediaPart, limits: BackendLimits) -> str | None:
    kind = media.kind.value
    who = limits.backend_type
    lim = limits.limit(media.kind)
    if lim is None:
        hint = f" ({limits.note})" if limits.note else ""
        return f"the {who} backend is not set up for {kind} input{hint}"
    if lim.mime_types and _mime_refused(media, lim.mime_types):
        return f"the {who} backend takes {kind} only as {_mime_list(lim.mime_types)}, not {media.mime or 'an unknown type'}"
    size = media.item.size_bytes
    if media.source == "inline" and size and lim.max_bytes and size > lim.max_bytes:
        return f"{human_size(size)} is over the {who} backend's {human_size(lim.max_bytes)} limit for {kind}"
    return None


def _mime_list(mimes: frozenset[str]) -> str:
    return ", ".join(sorted(mimes))


_ROLE_WORDS = {"user": "user messages", "assistant": "assistant messages", "tool": "tool results", "system": "system messages"}
_SOURCE_WORDS = {"inline": "inline data", "url": "a URL", "file_id": "a file id"}

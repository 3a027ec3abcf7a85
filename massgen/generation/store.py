"""The one continuation store: what is needed to refine a generated piece of media later.

Bounded (least recently used goes first), with expiry, and small: it keeps provider ids and file
paths, never image bytes or live SDK objects. Its home is the session (continuations.json, paths
relative to the session folder), which hands it to whoever generates; there is no process-wide one.
A continuation id names its backend ("demo:ab12...", "openai:resp_..."); the store also remembers
the ids it let go, so a later miss can be told apart from an id it never held.
"""

from __future__ import annotations

import json
import mimetypes
import os
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from massgen.files import relative_within, replace_file
from massgen.media.item import MediaItem
from massgen.media.kinds import UNKNOWN_MIME

from .errors import GenerationInputError

FORMAT_VERSION = 2
DEFAULT_MAX_ENTRIES = 256
DEFAULT_TTL_SECONDS = 7 * 24 * 3600.0
_GONE_KEPT = 4096  # ids let go that are still recognised as "expired"
_OLD_ENTRY = ("id", "backend", "media_type", "prompt")  # a version-1 entry: the item's fields flat beside the id


class ContinuationError(GenerationInputError):
    """A continuation id that is unknown, expired, or whose file is gone."""


@dataclass
class Continuation:
    """One refinable result: the media it made (`item`: generator, prompt, model, file) and the provider
    state that continues it (`provider_ref`, `data`), with when it was made and last used."""

    id: str
    item: MediaItem
    provider_ref: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    created: float = 0.0
    last_used: float = 0.0

    def require_path(self) -> Path:
        """The kept output file; a clear error when it has been moved or deleted."""
        path = self.item.path
        if not path or not os.path.isfile(path):
            raise ContinuationError(
                f"continue_from {self.id!r}: its file {path or '(none)'} is gone; generate a new one instead"
            )
        return Path(path)

    def to_dict(self, folder: Path | None = None) -> dict[str, Any]:
        """JSON-ready; a path inside `folder` is written relative to it, so the folder can move."""
        item = self.item
        if folder is not None and item.path:
            item = replace(item, path=relative_within(item.path, folder))
        return {"id": self.id, "item": item.to_dict(), "provider_ref": self.provider_ref, "data": self.data,
                "created": self.created, "last_used": self.last_used}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], folder: Path | None = None) -> "Continuation":
        """An entry `to_dict` wrote, or a version-1 entry (the item's fields flat beside the id)."""
        item = MediaItem.from_dict(raw["item"]) if "item" in raw else _old_item(raw)
        if folder is not None and item.path and not os.path.isabs(item.path):
            item = replace(item, path=str(folder / item.path))
        return cls(id=str(raw["id"]), item=item, provider_ref=raw.get("provider_ref"), data=dict(raw.get("data") or {}),
                   created=float(raw.get("created") or 0.0), last_used=float(raw.get("last_used") or 0.0))


class ContinuationStore:
    """A bounded LRU map of continuation id -> Continuation, with expiry; thread-safe."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES, ttl_seconds: float | None = DEFAULT_TTL_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._items: OrderedDict[str, Continuation] = OrderedDict()
        self._gone: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, item: MediaItem, *, provider_ref: str | None = None, data: dict[str, Any] | None = None,
            token: str | None = None) -> Continuation:
        """Keep a new entry for `item` (its generator names the backend); its id is
        "backend:<token or provider_ref or random hex>"."""
        now = self._clock()
        key = token or provider_ref or uuid.uuid4().hex[:16]
        entry = Continuation(id=f"{item.generator}:{key}", item=item, provider_ref=provider_ref,
                             data=dict(data or {}), created=now, last_used=now)
        with self._lock:
            self._items[entry.id] = entry
            self._items.move_to_end(entry.id)
            self._gone.pop(entry.id, None)
            self._evict(now)
        return entry

    def get(self, continuation_id: str) -> Continuation | None:
        """The entry (marked as recently used), or None when unknown or expired."""
        now = self._clock()
        with self._lock:
            entry = self._items.get(continuation_id)
            if entry is None:
                return None
            if self._expired(entry, now):
                self._let_go(continuation_id)
                return None
            entry.last_used = now
            self._items.move_to_end(continuation_id)
            return entry

    def require(self, continuation_id: str) -> Continuation:
        entry = self.get(continuation_id)
        if entry is None:
            raise ContinuationError(
                f"continue_from {continuation_id!r} is unknown or expired; generate a new piece of media instead"
            )
        return entry

    def forget(self, continuation_id: str) -> None:
        """Drop an id as if it had expired (a later miss then reads as expired, not unknown)."""
        with self._lock:
            self._let_go(continuation_id)

    def forgot(self, continuation_id: str) -> bool:
        """Whether this store kept `continuation_id` once and has let it go since (expired or pushed out)."""
        with self._lock:
            self._evict(self._clock())
            return continuation_id in self._gone

    def __contains__(self, continuation_id: object) -> bool:
        return isinstance(continuation_id, str) and self.get(continuation_id) is not None

    def __len__(self) -> int:
        with self._lock:
            self._evict(self._clock())
            return len(self._items)

    def ids(self) -> list[str]:
        """Live ids, least recently used first."""
        with self._lock:
            self._evict(self._clock())
            return list(self._items)

    # -- persistence -----------------------------------------------------------

    def to_json(self, folder: Path | None = None) -> str:
        """The store as JSON; file paths inside `folder` are written relative to it."""
        with self._lock:
            self._evict(self._clock())
            entries = [e.to_dict(folder) for e in self._items.values()]
            gone = list(self._gone)
        return json.dumps({"version": FORMAT_VERSION, "entries": entries, "gone": gone}, indent=1, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, *, source: str = "continuations", folder: Path | None = None,
                  **options: Any) -> "ContinuationStore":
        """A store holding the entries of `to_json` output (or of a version-1 file); expired ones are let go."""
        store = cls(**options)
        entries, gone = _parse(text, source, folder)
        store._gone.update((cid, None) for cid in gone)
        for entry in entries:
            store._items[entry.id] = entry
        with store._lock:
            store._evict(store._clock())
        return store

    def save(self, path: str | os.PathLike[str], folder: Path | None = None) -> Path:
        """Write atomically (temp file + rename), so a crash never leaves half a file."""
        target = Path(path)
        replace_file(target, self.to_json(folder))
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str], folder: Path | None = None, *, missing_ok: bool = True,
             **options: Any) -> "ContinuationStore":
        """The store saved at `path`; an empty one when the file does not exist and `missing_ok`."""
        target = Path(path)
        try:
            text = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            if missing_ok:
                return cls(**options)
            raise ContinuationError(f"{target}: no saved continuations there; check the session folder") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ContinuationError(f"{target}: cannot be read ({exc}); delete it to start afresh") from None
        return cls.from_json(text, source=str(target), folder=folder, **options)

    # -- internals ---------------------------------------------------------------

    def _expired(self, entry: Continuation, now: float) -> bool:
        return self.ttl_seconds is not None and now - entry.last_used > self.ttl_seconds

    def _let_go(self, continuation_id: str) -> None:
        """Drop an entry and remember its id as one this store held (lock held)."""
        self._items.pop(continuation_id, None)
        self._gone[continuation_id] = None
        self._gone.move_to_end(continuation_id)
        while len(self._gone) > _GONE_KEPT:
            self._gone.popitem(last=False)

    def _evict(self, now: float) -> None:
        """Let go of expired entries, then of the least recently used beyond the bound (lock held)."""
        for key in [k for k, e in self._items.items() if self._expired(e, now)]:
            self._let_go(key)
        while len(self._items) > self.max_entries:
            self._let_go(next(iter(self._items)))


def _parse(text: str, source: str, folder: Path | None) -> tuple[list[Continuation], list[str]]:
    """(entries, ids let go) of a saved store; a ContinuationError naming the file and the fix."""
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise ContinuationError(f"{source}: not valid JSON ({exc.args[0]}); delete the file to start afresh") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("entries"), list):
        raise ContinuationError(f"{source}: expected {{'version': 2, 'entries': [...]}}; delete the file to start afresh")
    entries = []
    for i, raw in enumerate(payload["entries"]):
        if not isinstance(raw, dict) or not ({"id", "item"} <= set(raw) or set(_OLD_ENTRY) <= set(raw)):
            raise ContinuationError(f"{source}: entry {i} lacks its id and item; delete the file to start afresh")
        try:
            entries.append(Continuation.from_dict(raw, folder))
        except (TypeError, ValueError) as exc:
            raise ContinuationError(f"{source}: entry {i} is damaged ({exc}); delete the file to start afresh") from None
    gone = payload.get("gone")
    entries.sort(key=lambda e: e.last_used)
    return entries, [str(g) for g in gone] if isinstance(gone, list) else []


def _old_item(raw: Mapping[str, Any]) -> MediaItem:
    """The item of a version-1 entry: backend, media type, prompt, model and path beside the id."""
    path = raw.get("path")
    mime = (mimetypes.guess_type(str(path))[0] if path else None) or UNKNOWN_MIME
    return MediaItem(mime_type=mime, media_type=raw["media_type"], generator=str(raw["backend"]),
                     prompt=str(raw["prompt"]), model=raw.get("model"), path=path)

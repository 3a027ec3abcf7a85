"""The one continuation store: what is needed to refine a generated piece of media later.

Bounded (least recently used goes first), with expiry, and small: it keeps provider ids and file
paths, never image bytes or live SDK objects, so it can be saved with the session and loaded after
a restart. A continuation id names its backend ("demo:ab12...", "openai:resp_...").
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

from .errors import GenerationInputError

FORMAT_VERSION = 1
DEFAULT_MAX_ENTRIES = 256
DEFAULT_TTL_SECONDS = 7 * 24 * 3600.0


class ContinuationError(GenerationInputError):
    """A continuation id that is unknown, expired, or whose file is gone."""


@dataclass
class Continuation:
    """One refinable result: who made it, with what, and where its output (or provider state) lives."""

    id: str
    backend: str
    media_type: str
    prompt: str
    model: str | None = None
    path: str | None = None
    provider_ref: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    created: float = 0.0
    last_used: float = 0.0

    def require_path(self) -> Path:
        """The kept output file; a clear error when it has been moved or deleted."""
        if not self.path or not os.path.isfile(self.path):
            raise ContinuationError(
                f"continue_from {self.id!r}: its file {self.path or '(none)'} is gone; generate a new one instead"
            )
        return Path(self.path)


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
        self._lock = threading.Lock()

    def add(self, backend: str, media_type: str, prompt: str, *, model: str | None = None,
            path: str | os.PathLike[str] | None = None, provider_ref: str | None = None,
            data: dict[str, Any] | None = None, token: str | None = None) -> Continuation:
        """Keep a new entry; its id is "backend:<token or provider_ref or random hex>"."""
        now = self._clock()
        key = token or provider_ref or uuid.uuid4().hex[:16]
        entry = Continuation(
            id=f"{backend}:{key}", backend=backend, media_type=str(media_type), prompt=prompt, model=model,
            path=os.fspath(path) if path is not None else None, provider_ref=provider_ref,
            data=dict(data or {}), created=now, last_used=now,
        )
        with self._lock:
            self._items[entry.id] = entry
            self._items.move_to_end(entry.id)
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
                del self._items[continuation_id]
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

    def to_json(self) -> str:
        with self._lock:
            self._evict(self._clock())
            entries = [asdict(e) for e in self._items.values()]
        return json.dumps({"version": FORMAT_VERSION, "entries": entries}, indent=1)

    @classmethod
    def from_json(cls, text: str, *, source: str = "continuations", **kwargs: Any) -> "ContinuationStore":
        """A store holding the entries of `to_json` output (expired ones are dropped)."""
        store = cls(**kwargs)
        for entry in _parse_entries(text, source):
            store._items[entry.id] = entry
        with store._lock:
            store._evict(store._clock())
        return store

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write atomically (temp file + rename), so a crash never leaves half a file."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self.to_json())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, missing_ok: bool = True, **kwargs: Any) -> "ContinuationStore":
        """The store saved at `path`; an empty one when the file does not exist and `missing_ok`."""
        target = Path(path)
        try:
            text = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            if missing_ok:
                return cls(**kwargs)
            raise ContinuationError(f"{target}: no saved continuations there; check the session folder") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ContinuationError(f"{target}: cannot read saved continuations ({exc}); delete or restore it") from None
        return cls.from_json(text, source=str(target), **kwargs)

    # -- internals ---------------------------------------------------------------

    def _expired(self, entry: Continuation, now: float) -> bool:
        return self.ttl_seconds is not None and now - entry.last_used > self.ttl_seconds

    def _evict(self, now: float) -> None:
        """Drop expired entries, then the least recently used beyond the bound (lock held)."""
        for key in [k for k, e in self._items.items() if self._expired(e, now)]:
            del self._items[key]
        while len(self._items) > self.max_entries:
            self._items.popitem(last=False)


_FIELDS = {f.name for f in fields(Continuation)}


def _parse_entries(text: str, source: str) -> list[Continuation]:
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise ContinuationError(f"{source}: not valid JSON ({exc.args[0]}); delete the file to start afresh") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("entries"), list):
        raise ContinuationError(f"{source}: expected {{'version': 1, 'entries': [...]}}; delete the file to start afresh")
    entries = []
    for i, raw in enumerate(payload["entries"]):
        if not isinstance(raw, dict) or not {"id", "backend", "media_type", "prompt"} <= set(raw):
            raise ContinuationError(f"{source}: entry {i} lacks id/backend/media_type/prompt; delete the file to start afresh")
        entries.append(Continuation(**{k: v for k, v in raw.items() if k in _FIELDS}))
    entries.sort(key=lambda e: e.last_used)
    return entries


_DEFAULT: ContinuationStore | None = None
_DEFAULT_LOCK = threading.Lock()


def default_store() -> ContinuationStore:
    """The process-wide store used when a caller passes none (a session passes its own)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = ContinuationStore()
        return _DEFAULT

"""Work shared between agents: one MediaRef per file (so its base64 is encoded once), one fitted copy
per (file, fit target), one stand-in text per file (a transcript is asked for once). Each is made once even when several agents ask
at the same moment (the others wait for it); failures are kept too, so a bad file fails once."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable

from massgen.media.errors import MediaError
from massgen.media.fit import fit_image
from massgen.media.item import MediaItem
from massgen.media.limits import MediaLimit
from massgen.media.ref import MediaRef

from .model import Attachment
from .standins import stand_in_text

CACHE_MAX_BYTES = 256 * 1024 * 1024
_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif"}


class PrepareCache:
    """Thread-safe LRU of refs, fitted copies and texts, bounded by the bytes they hold."""

    def __init__(self, max_bytes: int = CACHE_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.fits_made = 0
        self._values: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self._total = 0

    def original(self, attachment: Attachment) -> MediaRef:
        """The one MediaRef of this file, built from its probe (no second probe)."""
        info = usable_item(attachment)
        return self._once(("ref", *identity(info)), lambda: (MediaRef(info), 0))

    def fitted(self, attachment: Attachment, limit: MediaLimit) -> MediaRef:
        """A copy of the image fitted to `limit` (or the original if it already fits); blocking."""
        return self._once(_fit_key(attachment, limit), lambda: self._fit(attachment, limit))

    def peek_fitted(self, attachment: Attachment, limit: MediaLimit) -> MediaRef | MediaError | None:
        """The fitted copy or the fitting error if already made, else None; never does the work."""
        with self._lock:
            found = self._values.get(_fit_key(attachment, limit))
        return found[0] if found else None

    def stand_in_text(self, attachment: Attachment) -> str:
        """The text that stands in for a PDF, text file or recording (made once); blocking."""
        info = usable_item(attachment)
        return self._once(("text", *identity(info)), lambda: _sized(stand_in_text(info.path or "", info.mime_type)))

    def peek_stand_in(self, attachment: Attachment) -> str | MediaError | None:
        """The stand-in text or its error if already made, else None; never does the work."""
        with self._lock:
            found = self._values.get(("text", *identity(usable_item(attachment))))
        return found[0] if found else None

    def _fit(self, attachment: Attachment, limit: MediaLimit) -> tuple[MediaRef, int]:
        original = self.original(attachment)
        fitted = fit_image(original, limit)
        with self._lock:
            self.fits_made += 1
        if not fitted.changed:
            return original, 0
        stem = os.path.splitext(original.item.filename or "image")[0]
        name = stem + _SUFFIXES.get(fitted.mime_type, "")
        return MediaRef.from_bytes(fitted.data, mime_type=fitted.mime_type, filename=name), fitted.size_bytes

    def _once(self, key: Hashable, make: Callable[[], tuple[Any, int]]) -> Any:
        """The value of `key`, made by the first caller; the others wait for it. A MediaError is kept and re-raised."""
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                found = self._values.get(key)
                if found is not None:
                    self._values.move_to_end(key)
            if found is None:
                try:
                    found = make()
                except MediaError as exc:
                    found = (exc, 0)
                self._store(key, found)
        value = found[0]
        if isinstance(value, MediaError):
            raise value
        return value

    def _store(self, key: Hashable, entry: tuple[Any, int]) -> None:
        with self._lock:
            self._key_locks.pop(key, None)
            if entry[1] > self.max_bytes:
                return
            self._values[key] = entry
            self._total += entry[1]
            while self._total > self.max_bytes:
                _, (_, dropped) = self._values.popitem(last=False)
                self._total -= dropped


DEFAULT_CACHE = PrepareCache()


def usable_item(attachment: Attachment) -> MediaItem:
    """The probe result of an attachment that has one; a MediaError naming the problem otherwise."""
    if attachment.item is None:
        raise MediaError(attachment.path, attachment.problem or "could not be read", "attach it again")
    return attachment.item


def identity(info: MediaItem) -> tuple[str, int, int]:
    """(real path, size, mtime): a changed file is a different file."""
    return info.realpath or info.path or "", info.size_bytes or 0, info.mtime_ns or 0


def _fit_key(attachment: Attachment, limit: MediaLimit) -> Hashable:
    target = (limit.max_bytes, limit.max_pixels, limit.max_side, limit.mime_types)
    return ("fit", *identity(usable_item(attachment)), target)


def _sized(text: str) -> tuple[str, int]:
    return text, len(text)

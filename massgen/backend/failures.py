"""What went wrong with a provider call, in one line a user can act on, with no secret in it.

Works on the exceptions of all three SDKs and of httpx2 by their attributes and class names, so
this module imports no SDK.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from dataclasses import dataclass
from typing import Any

_KEY_PATTERN = re.compile(r"\b(?:sk-[A-Za-z0-9_\-]{8,}|AIza[0-9A-Za-z_\-]{20,}|xai-[A-Za-z0-9]{16,})")
_RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504, 529})
_STATUS_WORDS = {400: "bad request", 401: "the API key was rejected", 403: "permission denied", 404: "not found",
                 408: "request timeout", 409: "conflict", 413: "request too large", 422: "request not processable",
                 429: "rate limited", 500: "server error", 502: "bad gateway", 503: "service unavailable",
                 504: "gateway timeout", 529: "overloaded"}


def redact(text: str, *secrets: str | None) -> str:
    """`text` with each secret, and anything shaped like a provider key, replaced by [redacted]."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    return _KEY_PATTERN.sub("[redacted]", text)


def _mro_names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


@dataclass(frozen=True)
class Failure:
    """A classified provider failure: `kind` is status, timeout, connection, malformed or other."""

    kind: str
    status: int | None
    detail: str
    retry_after: float | None = None

    @property
    def retryable(self) -> bool:
        """Worth another attempt before the stream starts (never after: text would repeat)."""
        if self.kind == "status":
            return self.status in _RETRYABLE_STATUS
        return self.kind in ("timeout", "connection")

    def message(self, who: str, *, mid_stream: bool = False, attempts: int = 1) -> str:
        """One line: who, what, and when it happened."""
        if self.kind == "status":
            what = f"{_STATUS_WORDS.get(self.status or 0, 'error')} (HTTP {self.status})"
        else:
            what = {"timeout": "timed out waiting for the provider", "connection": "connection failed",
                    "malformed": "the provider sent a reply that could not be read"}.get(
                self.kind, "the provider reported an error")
        if mid_stream and self.kind in ("connection", "timeout"):
            what = "the stream was cut off" if self.kind == "connection" else "the stream stalled and timed out"
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        detail = f": {self.detail}" if self.detail else ""
        return _one_line(f"{who}: {what}{tries}{detail}")


def classify(exc: BaseException) -> Failure:
    """Sort any SDK or transport exception into a Failure."""
    names = _mro_names(exc)
    status = _status_of(exc)
    detail = _detail_of(exc)
    if status is not None and status != 200:
        return Failure("status", status, detail, retry_after_seconds(exc))
    if "TimeoutException" in names or "APITimeoutError" in names or isinstance(exc, TimeoutError):
        return Failure("timeout", None, "")
    if names & {"TransportError", "APIConnectionError", "ConnectionError"}:
        return Failure("connection", None, detail if "Timeout" not in detail else "")
    if isinstance(exc, json.JSONDecodeError) or names & {"UnknownApiResponseError", "APIResponseValidationError"}:
        return Failure("malformed", None, detail)
    return Failure("other", status, detail)


def _status_of(exc: BaseException) -> int | None:
    for attr in ("status_code", "code"):
        value = getattr(exc, attr, None)
        if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599:
            return value
    return None


def _detail_of(exc: BaseException) -> str:
    """The provider's own message where there is one (in-band errors keep it in `body`)."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error") if isinstance(body.get("error"), dict) else body
        if isinstance(inner.get("message"), str):
            kind = inner.get("type")
            text = inner["message"]
            return f"{text} ({kind})" if isinstance(kind, str) and kind not in text else text
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message:
        return message
    return str(exc) or type(exc).__name__


def retry_after_seconds(exc: BaseException) -> float | None:
    """Retry-After from the error response: `retry-after-ms`, then `retry-after` (seconds or a date)."""
    response = getattr(exc, "response", None)
    headers: Any = getattr(response, "headers", None)
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        return None if parsed is None else max(0.0, email.utils.mktime_tz(parsed) - time.time())


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

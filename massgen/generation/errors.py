"""The errors of media generation: each message is one line that says what is wrong and what to do."""

from __future__ import annotations

from massgen.backend.failures import redact
from massgen.errors import ConfigError, MassGenError
from massgen.media.errors import one_line


class GenerationError(MassGenError):
    """A generation that was asked for correctly but failed (provider error, timeout, bad output)."""


class GenerationInputError(GenerationError, ValueError):
    """The request itself is wrong (argument, file, continuation id); the message names the fix."""


class BackendUnavailable(ConfigError, GenerationInputError):
    """The chosen backend cannot run here, typically because its API key variable is not set."""


def provider_failure(backend: str, exc: BaseException, api_key: str | None = None) -> GenerationError:
    """A GenerationError for an SDK or HTTP exception: backend, status when known, one-line detail."""
    status = getattr(exc, "status_code", None) or getattr(exc, "code", None)
    detail = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    prefix = f"{backend}: {status} " if isinstance(status, int) else f"{backend}: "
    return GenerationError(redact(one_line(prefix + str(detail), 300), api_key))

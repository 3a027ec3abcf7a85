"""The errors of media generation: each message is one line that says what is wrong and what to do."""

from __future__ import annotations

from massgen.backend.failures import redact
from massgen.errors import ConfigError, MassGenError
from massgen.media.errors import one_line


class GenerationError(MassGenError):
    """A generation that was asked for correctly but failed (provider error, timeout, bad output).

    A provider's failure keeps its HTTP `status` and machine-readable `provider_code` (never its prose)."""

    status: int | None = None
    provider_code: str | None = None

    @property
    def gone(self) -> bool:
        """The provider says what the request named does not exist (any more): 404/410 or a *_not_found code."""
        code = self.provider_code or ""
        return self.status in (404, 410) or code.endswith(("_not_found", "_expired"))


class GenerationInputError(GenerationError, ValueError):
    """The request itself is wrong (argument, file, continuation id); the message names the fix."""


class BackendUnavailable(ConfigError, GenerationInputError):
    """The chosen backend cannot run here, typically because its API key variable is not set."""


def provider_failure(backend: str, exc: BaseException, api_key: str | None = None) -> GenerationError:
    """A GenerationError for an SDK or HTTP exception: backend, status when known, one-line detail."""
    status = getattr(exc, "status_code", None) or getattr(exc, "code", None)
    detail = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    prefix = f"{backend}: {status} " if isinstance(status, int) else f"{backend}: "
    return failure(redact(one_line(prefix + str(detail), 300), api_key), status, getattr(exc, "code", None))


def failure(message: str, status: object = None, provider_code: object = None) -> GenerationError:
    """A GenerationError carrying the provider's status and error code when they are what they claim to be."""
    error = GenerationError(message)
    error.status = status if isinstance(status, int) else None
    error.provider_code = provider_code if isinstance(provider_code, str) else None
    return error

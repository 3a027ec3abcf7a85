"""Building provider clients lazily and turning their exceptions into one-line GenerationErrors.

SDKs are imported inside these functions, so importing massgen.generation loads none of them.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

from .errors import provider_failure

if TYPE_CHECKING:
    import httpx2
    from google import genai
    from openai import AsyncOpenAI

    from .job import Job

DEFAULT_TIMEOUT = 300.0


def openai_client(job: "Job", *, headers: dict[str, str] | None = None) -> "AsyncOpenAI":
    """An AsyncOpenAI client for the job's key and server (OpenAI itself, xAI or OpenRouter)."""
    from openai import AsyncOpenAI

    return AsyncOpenAI(
        api_key=job.api_key,
        base_url=job.base_url,
        timeout=job.seconds("timeout", DEFAULT_TIMEOUT),
        max_retries=int(job.option("max_retries", 2)),
        default_headers=headers,
    )


def genai_client(job: "Job", *, vertex: bool = False) -> "genai.Client":
    """A google-genai client: the Gemini API, or Vertex AI express mode (API key) for Imagen and Veo.

    Keep the returned client referenced while it is used: it closes its connections when collected."""
    from google import genai
    from google.genai import types

    options: dict[str, Any] = {"timeout": int(job.seconds("timeout", DEFAULT_TIMEOUT) * 1000)}
    url = job.option("vertex_base_url") if vertex else job.base_url
    if url:
        options["base_url"] = url
    if not vertex:
        options["api_version"] = job.option("api_version", "v1beta")
    return genai.Client(vertexai=vertex, api_key=job.api_key, http_options=types.HttpOptions(**options))


def http_client(job: "Job", *, headers: dict[str, str] | None = None, base_url: str | None = None) -> "httpx2.AsyncClient":
    """A plain async HTTP client (ElevenLabs, Stable Diffusion, downloads)."""
    import httpx2

    timeout = job.seconds("timeout", DEFAULT_TIMEOUT)
    return httpx2.AsyncClient(base_url=base_url or job.base_url or "", headers=headers or {},
                              timeout=httpx2.Timeout(timeout, connect=min(timeout, 30.0)), follow_redirects=True)


@contextmanager
def openai_errors(backend: str, api_key: str | None) -> Iterator[None]:
    """OpenAI SDK errors (HTTP status, connection, timeout) as GenerationError."""
    import openai

    try:
        yield
    except openai.APIError as exc:
        raise provider_failure(backend, exc, api_key) from None


@contextmanager
def genai_errors(backend: str, api_key: str | None) -> Iterator[None]:
    """google-genai errors (its APIError and the httpx2 transport errors) as GenerationError."""
    import httpx2
    from google.genai import errors

    try:
        yield
    except errors.APIError as exc:
        raise provider_failure(backend, exc, api_key) from None
    except httpx2.HTTPError as exc:
        raise provider_failure(backend, exc, api_key) from None


@contextmanager
def http_errors(backend: str, api_key: str | None) -> Iterator[None]:
    """httpx2 transport errors as GenerationError (status errors are raised by `check_status`)."""
    import httpx2

    try:
        yield
    except httpx2.HTTPError as exc:
        raise provider_failure(backend, exc, api_key) from None


async def check_status(backend: str, response: "httpx2.Response", api_key: str | None) -> None:
    """Raise a GenerationError with the provider's own message for an HTTP error status."""
    if response.status_code < 400:
        return
    await response.aread()
    detail = _error_detail(response)
    from massgen.backend.failures import redact
    from massgen.media.errors import one_line

    from .errors import failure

    raise failure(redact(one_line(f"{backend}: {response.status_code} {detail}", 300), api_key), response.status_code)


def _error_detail(response: "httpx2.Response") -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(body, dict):
        for key in ("detail", "error", "message"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message") or value.get("status") or value
            if value:
                return str(value)
    return str(body)[:200]

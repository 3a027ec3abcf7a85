"""OpenAI audio: text-to-speech streamed to a file in the requested format (sent as response_format,
so the extension is true), and speech-to-text, so an agent that cannot take audio gets a transcript."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from massgen.media.item import MediaItem

from . import registry
from .clients import DEFAULT_TIMEOUT, openai_client, openai_errors
from .errors import GenerationInputError
from .job import EventStream, Job, Output, Progress
from .transfer import save_stream

VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar", "fable", "onyx", "nova")
MAX_INPUT_CHARS = 4096


def voice_param(voice: str | None) -> str | dict[str, str]:
    """A built-in voice name, or a custom voice id ("voice_...") as {"id": ...}; others are an error."""
    if not voice:
        return "alloy"
    name = voice.strip()
    if name.lower() in VOICES:
        return name.lower()
    if name.startswith("voice_"):
        return {"id": name}
    raise GenerationInputError(f"voice {voice!r} is not an OpenAI voice; use one of: {', '.join(VOICES)}")


async def run(job: Job) -> EventStream:
    req = job.request
    if req.audio_type != "speech":
        raise GenerationInputError("openai makes speech only; for sound effects use backend elevenlabs")
    if len(req.prompt) > MAX_INPUT_CHARS:
        raise GenerationInputError(f"the text is {len(req.prompt)} characters; OpenAI speech takes at most {MAX_INPUT_CHARS}")
    fmt = req.audio_format or "mp3"
    params: dict[str, Any] = {"model": job.model, "voice": voice_param(req.voice), "input": req.prompt,
                              "response_format": fmt}
    if job.option("speed") is not None:
        params["speed"] = max(0.25, min(4.0, float(job.option("speed"))))
    if job.option("instructions") and not job.model.startswith("tts-1"):
        params["instructions"] = str(job.option("instructions"))
    yield Progress(5.0, "speaking")
    written: MediaItem | None = None
    async with openai_client(job) as client:
        with openai_errors("openai", job.api_key):
            async with client.audio.speech.with_streaming_response.create(**params) as response:
                total = int(response.headers.get("content-length") or 0) or None
                async for item in save_stream(job, response.iter_bytes(), fallback_ext=fmt, total=total,
                                              start=10.0, label="receiving audio"):
                    if isinstance(item, Progress):
                        yield item
                    else:
                        written = item
    assert written is not None
    yield Output(written, job.model)


@dataclass
class Transcript:
    """What speech-to-text heard."""

    text: str
    model: str
    language: str | None = None


async def transcribe(path: str | os.PathLike[str], *, model: str | None = None, language: str | None = None,
                     prompt: str | None = None, environ: Mapping[str, str] | None = None,
                     base_url: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> Transcript:
    """The transcript of an audio file (OpenAI transcription), streamed up from disk."""
    from openai import AsyncOpenAI

    from massgen.media import MediaError, display_name, probe
    from massgen.media.kinds import MediaType

    from .errors import BackendUnavailable

    backend = registry.BACKENDS["openai"]
    key = registry.api_key(backend, environ)
    if key is None:
        raise BackendUnavailable("transcription needs OpenAI: set OPENAI_API_KEY")
    try:
        info = probe(path)
    except MediaError as exc:
        raise GenerationInputError(str(exc)) from None
    if info.media_type not in (MediaType.AUDIO, MediaType.VIDEO):
        raise GenerationInputError(f"{display_name(str(info.path))}: is {info.label}, not audio; give an audio file")
    chosen = model or backend.models["transcription"]
    params: dict[str, Any] = {"model": chosen, "file": Path(str(info.path)), "response_format": "json"}
    if language:
        params["language"] = language
    if prompt:
        params["prompt"] = prompt
    async with AsyncOpenAI(api_key=key, base_url=base_url or registry.base_url(backend, environ), timeout=timeout) as client:
        with openai_errors("openai", key):
            result = await client.audio.transcriptions.create(**params)
    return Transcript(text=result.text, model=chosen, language=language)

"""ElevenLabs over plain HTTP (httpx2, no SDK): speech and sound effects, streamed to a file.

Rate limits and server errors are retried (Retry-After honoured, capped); the key goes only in the
xi-api-key header and never into a message.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any, AsyncIterator

from massgen.media.item import MediaItem

from . import registry
from .clients import check_status, http_client, http_errors
from .errors import GenerationInputError
from .job import EventStream, Job, Output, Progress
from .transfer import save_stream

VOICES = {
    "rachel": "21m00Tcm4TlvDq8ikWAM", "adam": "pNInz6obpgDQGcFmaJgB", "george": "JBFqnCBsd6RMkjVDRZzb",
    "sarah": "EXAVITQu4vr4xnSDxMaL", "antoni": "ErXwobaYiN019PkySvjV", "domi": "AZnzlk1XvdvUeBnXmlld",
    "elli": "MF3mGyEYCl7XYWbV9V6O", "josh": "TxGEqnHWrfWFTfGW9XjX", "arnold": "VR6AewLTigWG4xSOukaG",
    "sam": "yoZ06aMxZJJ28mfd3POQ",
}
FORMATS = {"mp3": "mp3_44100_128", "wav": "wav_44100", "pcm": "pcm_24000", "opus": "opus_48000_64"}
_VOICE_ID = re.compile(r"^[A-Za-z0-9]{20}$")
RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_RETRY_WAIT = 30.0


def voice_id(voice: str | None) -> str:
    if not voice:
        return VOICES["rachel"]
    if voice.strip().lower() in VOICES:
        return VOICES[voice.strip().lower()]
    if _VOICE_ID.match(voice.strip()):
        return voice.strip()
    raise GenerationInputError(f"voice {voice!r} is not known; use a voice id or one of: {', '.join(sorted(VOICES))}")


def output_format(audio_format: str | None) -> tuple[str, str]:
    """(ElevenLabs output_format, file extension to fall back on)."""
    fmt = audio_format or "mp3"
    if fmt not in FORMATS:
        raise GenerationInputError(f"audio_format {fmt!r}: ElevenLabs gives {', '.join(FORMATS)}")
    return FORMATS[fmt], fmt


def _request(job: Job) -> tuple[str, dict[str, Any]]:
    req = job.request
    if req.audio_type == "sound_effect":
        model = job.model if "sound" in job.model else registry.BACKENDS["elevenlabs"].models["sound_effect"]
        body: dict[str, Any] = {"text": req.prompt, "model_id": model,
                                "prompt_influence": float(job.option("prompt_influence", 0.3))}
        if req.duration is not None:
            if not 0.5 <= req.duration <= 30:
                raise GenerationInputError("duration for a sound effect must be 0.5 to 30 seconds")
            body["duration_seconds"] = req.duration
        return "/v1/sound-generation", body
    body = {"text": req.prompt, "model_id": job.model}
    settings = {k: float(job.option(k)) for k in ("stability", "similarity_boost") if job.option(k) is not None}
    if settings:
        body["voice_settings"] = settings
    if job.option("language"):
        body["language_code"] = str(job.option("language"))
    return f"/v1/text-to-speech/{voice_id(req.voice)}/stream", body


async def run(job: Job) -> EventStream:
    path, body = _request(job)
    fmt, ext = output_format(job.request.audio_format)
    yield Progress(5.0, "making a sound effect" if "sound" in path else "speaking")
    written: MediaItem | None = None
    headers = {"xi-api-key": job.api_key or "", "accept": "audio/*"}
    async with http_client(job, headers=headers) as client:
        with http_errors("elevenlabs", job.api_key):
            async for item in _post_stream(client, job, path, body, fmt, ext):
                if isinstance(item, Progress):
                    yield item
                else:
                    written = item
    assert written is not None
    yield Output(written, body["model_id"])


async def _post_stream(client: Any, job: Job, path: str, body: dict[str, Any], fmt: str,
                       ext: str) -> AsyncIterator[Any]:
    retries = int(job.option("max_retries", 2))
    for attempt in range(retries + 1):
        async with client.stream("POST", path, params={"output_format": fmt}, json=body) as response:
            if response.status_code in RETRY_STATUSES and attempt < retries:
                await response.aread()
                await asyncio.sleep(_retry_wait(response.headers.get("retry-after"), attempt))
                continue
            await check_status("elevenlabs", response, job.api_key)
            total = int(response.headers.get("content-length") or 0) or None
            async for item in save_stream(job, response.aiter_bytes(), fallback_ext=ext, total=total, start=10.0,
                                          label="receiving audio"):
                yield item
            return


def _retry_wait(header: str | None, attempt: int) -> float:
    try:
        return min(MAX_RETRY_WAIT, max(0.0, float(header))) if header else min(MAX_RETRY_WAIT, 0.5 * 2 ** attempt)
    except ValueError:
        return min(MAX_RETRY_WAIT, 0.5 * 2 ** attempt)

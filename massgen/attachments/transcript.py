"""Audio for a backend that cannot take audio: a transcript, when the generation registry says speech-to-text
can run here (massgen.generation.audio_openai.transcribe, OpenAI's key), else a note saying how to get one.

`transcript_text` blocks (it runs the async transcription on its own loop): call it from a worker thread."""

from __future__ import annotations

import asyncio
import os
from typing import Mapping

from massgen.generation import registry
from massgen.generation.errors import GenerationError
from massgen.media.errors import MediaError
from massgen.media.limits import MB
from massgen.media.words import human_size

# What OpenAI's transcription endpoint takes (its documented formats and 25 MB per file).
TRANSCRIBABLE = frozenset({"audio/wav", "audio/x-wav", "audio/mpeg", "audio/flac", "audio/ogg", "audio/mp4",
                           "audio/webm"})
TRANSCRIBE_MAX_BYTES = 25 * MB
_PROVIDER = "openai"


def transcript_problem(mime_type: str, size: int, environ: Mapping[str, str] | None = None) -> str | None:
    """Why this audio cannot be sent as a transcript here (one clause saying what to do), or None if it can."""
    need = registry.missing_requirement(registry.BACKENDS[_PROVIDER], environ)
    if need is not None:
        return f"{need} for a transcript"
    if mime_type not in TRANSCRIBABLE:
        return "convert it to MP3 or WAV for a transcript"
    if size > TRANSCRIBE_MAX_BYTES:
        return f"a transcript needs at most {human_size(TRANSCRIBE_MAX_BYTES)}; send a shorter recording"
    return None


def transcript_text(path: str | os.PathLike[str]) -> str:
    """What speech-to-text heard in the file (blocking); MediaError naming the file when it fails."""
    from massgen.generation.audio_openai import transcribe

    try:
        heard = asyncio.run(transcribe(path))
    except GenerationError as exc:
        raise MediaError(path, f"could not be transcribed ({exc})", "try again, or paste what it says") from None
    if not heard.text.strip():
        raise MediaError(path, "has no speech the transcription could hear", "paste what it says instead")
    return heard.text.strip()

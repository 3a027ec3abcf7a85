"""Audio: OpenAI speech (bytes in the requested response_format, streamed) and transcriptions
(multipart), ElevenLabs text-to-speech and sound effects (key in the xi-api-key header)."""

from __future__ import annotations

from typing import Any

from .exchange import Exchange
from .generated_media import audio_bytes

CONTENT_TYPES = {"mp3": "audio/mpeg", "wav": "audio/wav", "flac": "audio/flac", "opus": "audio/ogg",
                 "aac": "audio/aac", "pcm": "application/octet-stream"}


def eleven_error(status: int, message: str) -> dict[str, Any]:
    return {"detail": {"status": "error", "message": message}}


def register(server: Any) -> None:
    server.add_route("POST", r"(?:/[\w.-]+)?/v1/audio/speech", speech, name="openai.audio.speech")
    server.add_route("POST", r"(?:/[\w.-]+)?/v1/audio/transcriptions", transcription, name="openai.audio.transcriptions")
    server.add_route("POST", r"(?:/[\w.-]+)?/v1/text-to-speech/(?P<voice>\w+)(?:/stream)?", eleven_speech,
                     name="elevenlabs.tts", error_body=eleven_error, auth=False)
    server.add_route("POST", r"(?:/[\w.-]+)?/v1/sound-generation", eleven_sound, name="elevenlabs.sound",
                     error_body=eleven_error, auth=False)


def _stream_audio(ex: Exchange, fmt: str) -> None:
    data = audio_bytes(fmt)
    ex.stream([data[i:i + 256] for i in range(0, len(data), 256)], content_type=CONTENT_TYPES[fmt])


def speech(ex: Exchange) -> None:
    body = ex.json or {}
    if not body.get("input") or not body.get("voice"):
        ex.send_error(400, "input and voice are required")
        return
    fmt = body.get("response_format") or "mp3"
    if fmt not in CONTENT_TYPES:
        ex.send_error(400, f"unsupported response_format {fmt}")
        return
    _stream_audio(ex, fmt)


def transcription(ex: Exchange) -> None:
    form = ex.request.form or {}
    upload = form.get("file")
    if not isinstance(upload, dict):
        ex.send_error(400, "file is required")
        return
    text = ex.reply.text or f"heard {len(upload['data'])} bytes of {upload['filename']}"
    ex.send_json({"text": text, "usage": {"type": "duration", "seconds": 1}})


def _eleven_key_ok(ex: Exchange) -> bool:
    key = ex.server.api_key
    if key and ex.request.headers.get("xi-api-key") != key:
        ex.send_json(eleven_error(401, "invalid api key"), 401)
        return False
    return True


def _eleven_format(ex: Exchange) -> str | None:
    wanted = (ex.request.query.get("output_format") or ["mp3_44100_128"])[0]
    fmt = wanted.split("_", 1)[0]
    if fmt not in ("mp3", "wav", "pcm", "opus"):
        ex.send_json(eleven_error(422, f"unsupported output_format {wanted}"), 422)
        return None
    return fmt


def eleven_speech(ex: Exchange) -> None:
    if not _eleven_key_ok(ex):
        return
    if not (ex.json or {}).get("text"):
        ex.send_json(eleven_error(422, "text is required"), 422)
        return
    fmt = _eleven_format(ex)
    if fmt:
        _stream_audio(ex, fmt)


def eleven_sound(ex: Exchange) -> None:
    if not _eleven_key_ok(ex):
        return
    duration = (ex.json or {}).get("duration_seconds")
    if duration is not None and not 0.5 <= float(duration) <= 30:
        ex.send_json(eleven_error(422, "duration_seconds must be 0.5 to 30"), 422)
        return
    fmt = _eleven_format(ex)
    if fmt:
        _stream_audio(ex, fmt)

"""Iterating on an image: an edit goes through the image's continuation id to the backend that made it.

`refine_image(media, instruction, session)` streams the new version's chunks (MEDIA_PROGRESS, then
MEDIA or ERROR), saves it in the session as the next version of the image's lineage and records
the chunks in the session transcript (callers do not record them again). When the edit thread is
expired, unknown or refused by the provider, an ERROR chunk says so in one line, its `error_code`
saying what follows (RESTART_OFFERED, or with `fallback=True` RESTARTING: the edit starts again from
the image file itself, image-to-image; THREAD_LOST when there is no file to start from).
"""

from __future__ import annotations

import os
import re
import uuid
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncGenerator, Mapping

from massgen.generation import generate_media, registry
from massgen.generation.chunks import chunk_for_failure
from massgen.generation.errors import BackendUnavailable, GenerationInputError
from massgen.generation.store import ContinuationError
from massgen.media import MediaItem, MediaType
from massgen.session import RunSession
from massgen.stream_chunk import BaseStreamChunk, ChunkType, ErrorCode, MultimodalStreamChunk, text_of

USER = "user"
STARTING_AGAIN = "starting again from the image itself"
RESTART_OFFER = "start again from the image itself (image-to-image)"
NOTHING_TO_START_FROM = "there is no image file to start again from"
_ID = re.compile(r"^[A-Za-z][\w.-]*:\S+$")


class RefineError(ValueError):
    """The edit cannot be asked for as given (no such image, empty instruction); the message says what to do."""


@dataclass
class _Target:
    """The image being edited: its item in the session's index, its file, its edit thread, and whose panel it is in."""

    record: MediaItem | None
    image: Path | None
    continuation_id: str | None
    source: str


@dataclass
class _Attempt:
    """How the continuation went: `made` once a new version is saved, else why the thread is lost."""

    made: bool = False
    lost: str | None = None
    media_id: str | None = None


async def refine_image(media: str | os.PathLike[str], instruction: str, session: RunSession, *, fallback: bool = False,
                       source: str | None = None, environ: Mapping[str, str] | None = None,
                       **settings: Any) -> AsyncGenerator[BaseStreamChunk, None]:
    """Edit the image `media` names (its path, media id or continuation id); `settings` go to generate_media."""
    text = _instruction(instruction)
    target = await _target(session, media, source)
    attempt = _Attempt()
    if target.continuation_id:
        async with aclosing(_continue(session, target, text, attempt, environ, settings)) as chunks:
            async for chunk in chunks:
                yield chunk
        if attempt.made or attempt.lost is None:
            await session.flush()
            return
    else:
        attempt.lost = "this image has no edit thread (it was not generated with a continuation id)"
    can_restart = target.image is not None
    then, code = ((STARTING_AGAIN, ErrorCode.RESTARTING) if fallback else (RESTART_OFFER, ErrorCode.RESTART_OFFERED)) \
        if can_restart else (NOTHING_TO_START_FROM, ErrorCode.THREAD_LOST)
    media_id = attempt.media_id or uuid.uuid4().hex
    lost = chunk_for_failure(target.source, MediaType.IMAGE, media_id, f"{attempt.lost}; {then}", code)
    yield await _kept(session, lost, target)
    if fallback and can_restart:
        if target.record is None and target.image is not None:  # an image from outside joins the session first
            target.record = await _adopt(session, target.image)
            target.image = Path(str(target.record.path))
        async with aclosing(_from_image(session, target, text, environ, settings)) as chunks:
            async for chunk in chunks:
                yield chunk
    await session.flush()


def offers_restart(chunk: BaseStreamChunk) -> bool:
    """Whether an ERROR chunk from refine_image offers to start again from the image (call again with fallback=True)."""
    return chunk.type == ChunkType.ERROR and chunk.error_code == ErrorCode.RESTART_OFFERED


async def _continue(session: RunSession, target: _Target, text: str, attempt: _Attempt,
                    environ: Mapping[str, str] | None, settings: Mapping[str, Any]) -> AsyncGenerator[BaseStreamChunk, None]:
    """The edit through the continuation id; sets `attempt.lost` instead of failing when the thread is gone."""
    cid = str(target.continuation_id)
    maker = _maker(cid)
    if maker is None:
        attempt.lost = f"this image's edit thread ({cid}) is not one a generation backend can continue"
        return
    stream = generate_media(text, continue_from=cid, output_dir=session.media_dir, store=session.continuations,
                            source=target.source, environ=environ, **settings)
    try:
        async with aclosing(stream) as chunks:
            async for chunk in chunks:
                if chunk.type == ChunkType.ERROR and chunk.error_code == ErrorCode.THREAD_LOST:
                    attempt.lost = f"{maker} no longer has this image's edit thread ({text_of(chunk)})"
                    attempt.media_id = chunk.media_id
                    return
                attempt.made = attempt.made or chunk.type == ChunkType.MEDIA
                yield await _kept(session, chunk, target, text, "continuation")
    except ContinuationError as exc:
        attempt.lost = _lost_thread(session, target, cid, exc)
    except BackendUnavailable as exc:
        attempt.lost = str(exc)


async def _from_image(session: RunSession, target: _Target, text: str, environ: Mapping[str, str] | None,
                      settings: Mapping[str, Any]) -> AsyncGenerator[BaseStreamChunk, None]:
    """Image-to-image from the file: on the backend that made it when it can run here, else the best available."""
    backend = _restart_backend(target, environ)
    stream = generate_media(text, input_images=[target.image], backend=backend, output_dir=session.media_dir,
                            store=session.continuations, source=target.source, environ=environ, **settings)
    async with aclosing(stream) as chunks:
        async for chunk in chunks:
            yield await _kept(session, chunk, target, text, "image")


async def _kept(session: RunSession, chunk: BaseStreamChunk, target: _Target, text: str | None = None,
                via: str | None = None) -> BaseStreamChunk:
    """The chunk as the caller gets it: a new version saved and indexed under its parent, and in the transcript."""
    chunk.source = target.source
    if chunk.type == ChunkType.MEDIA and isinstance(chunk, MultimodalStreamChunk):
        chunk = await session.persist_media(chunk, parent=target.record, edit=text, via=via)
    await session.record(chunk)
    return chunk


def _lost_thread(session: RunSession, target: _Target, cid: str, exc: ContinuationError) -> str:
    """Why the store could not continue `cid`, in words a user understands."""
    if cid in session.continuations:
        return str(exc)  # the store has it, but e.g. its file is gone: the store's own message says so
    if session.continuations.forgot(cid):
        return "this image's edit thread has expired"
    return f"this image's edit thread ({cid}) is unknown to this session"


def _maker(cid: str) -> str | None:
    """The generation backend a continuation id names ("demo:ab12" -> "demo"), or None when it names none."""
    return _backend_named(cid.partition(":")[0])


def _backend_named(name: str | None) -> str | None:
    try:
        return registry.normalize_name(name) if name else None
    except GenerationInputError:
        return None


def _restart_backend(target: _Target, environ: Mapping[str, str] | None) -> str | None:
    """The backend that made the image, when it makes images and can run here; None for the best available."""
    made_by = _maker(target.continuation_id) if target.continuation_id else None
    for backend in (made_by, _backend_named(target.record.generator if target.record else None)):
        if backend and registry.BACKENDS[backend].makes(MediaType.IMAGE) and registry.is_available(backend, environ):
            return backend
    return None


def _instruction(instruction: Any) -> str:
    if not isinstance(instruction, str) or not instruction.strip():
        raise RefineError("instruction: describe the change to make (for example 'make it darker')")
    return instruction.strip()


async def _target(session: RunSession, media: Any, source: str | None) -> _Target:
    """What `media` names: an image of the session, an image file (kept in the session once an edit starts from
    it), or a continuation id."""
    key = os.fspath(media) if isinstance(media, (str, os.PathLike)) else ""
    if not key.strip():
        raise RefineError("media: give the path, media id or continuation id of the image to edit")
    record = session.find_media(key)
    if record is None and _is_file(key):
        path = Path(key).expanduser()
        await _image_type(path)
        return _Target(None, path, None, source or USER)
    if record is not None:
        if record.media_type != MediaType.IMAGE:
            raise RefineError(f"{record.name} is {record.media_type.value}, not an image; only images can be edited")
        image = Path(record.path) if record.path and Path(record.path).is_file() else None
        return _Target(record, image, record.continuation_id, source or record.agent or USER)
    if _ID.match(key.strip()):
        return _Target(None, None, key.strip(), source or USER)
    raise RefineError(f"{key}: not an image of this session, an image file or a continuation id; "
                      "select an image to edit")


async def _adopt(session: RunSession, path: Path) -> MediaItem:
    """An image from outside the session (an attachment) saved into it as the first version of a new lineage."""
    item = MediaItem(mime_type=await _image_type(path), media_type=MediaType.IMAGE, path=str(path),
                     filename=path.name, media_id=uuid.uuid4().hex, agent=USER)
    saved = await session.persist_media(MultimodalStreamChunk.for_item(item))
    record = session.find_media(str(saved.media_data))
    if record is None:
        raise RefineError(f"{path}: could not be kept in the session folder {session.folder}; check it is writable")
    return record


async def _image_type(path: Path) -> str:
    """The MIME type of an image file, from its content; RefineError for anything else."""
    import asyncio

    from massgen.media import MediaError, sniff

    try:
        found = await asyncio.to_thread(sniff, path)
    except MediaError as exc:
        raise RefineError(str(exc)) from None
    if found.media_type != MediaType.IMAGE:
        raise RefineError(f"{path}: is {found.label}, not an image; only images can be edited")
    return found.mime_type


def _is_file(text: str) -> bool:
    try:
        return Path(text).expanduser().is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL byte: not a file either way
        return False

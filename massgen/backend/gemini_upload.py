"""Media too large to go inline in a Gemini request go through its Files API instead.

Inline media are counted per request (Gemini's limit is on the whole request); the largest go up
first until the rest fits. Uploaded files are remembered, so a conversation sends each file once.
Progress: google-genai has no progress callback, but it sends a resumable upload in 8 MB chunks
through our own httpx2 client; a response hook on that client reports the bytes the server has
confirmed after each chunk to the upload running in the same task (a ContextVar).
"""

from __future__ import annotations

import asyncio
import io
import time
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, Iterator

from massgen.media.encode import b64_length
from massgen.media.errors import MediaError
from massgen.media.limits import BackendLimits
from massgen.media.item import MediaItem
from massgen.media.kinds import MediaType
from massgen.stream_chunk import ChunkType, MediaEncoding, MultimodalStreamChunk

_MEDIA = ("image", "audio", "video", "document")
_PROGRESS: ContextVar[Callable[[int], None] | None] = ContextVar("gemini_upload_progress", default=None)


@dataclass
class Pending:
    """One inline item of `messages[message].content[index]` and its size."""

    message: int
    index: int
    kind: str
    ref: Any
    size: int
    uploaded: dict[str, Any] | None = None  # the file_id item, once the upload is done


def inline_items(messages: list[dict[str, Any]]) -> Iterator[Pending]:
    """Media items that would be sent inline: those holding a MediaRef to a path, bytes or base64."""
    for m, message in enumerate(messages):
        content = message.get("content")
        if not isinstance(content, list):
            continue
        for i, item in enumerate(content):
            ref = item.get("ref") if isinstance(item, dict) and item.get("type") in _MEDIA else None
            if ref is not None and getattr(ref, "kind", None) in ("path", "bytes", "base64"):
                yield Pending(m, i, item["type"], ref, int(ref.item.size_bytes or 0))


def to_upload(messages: list[dict[str, Any]], inline_max: int, limits: BackendLimits) -> list[Pending]:
    """The items to upload: each over its type's inline limit, then the largest others until what
    stays inline takes at most `inline_max` bytes of request once encoded. Items over the Files API limit stay (and are refused)."""
    chosen, kept = [], []
    for item in sorted(inline_items(messages), key=lambda p: p.size, reverse=True):
        limit = limits.limit(item.kind)
        if limit is None or (limit.upload_max_bytes and item.size > limit.upload_max_bytes):
            continue
        (chosen if limit.max_bytes and item.size > limit.max_bytes else kept).append(item)
    total = sum(p.size for p in kept)
    for item in kept:
        if b64_length(total) <= inline_max:  # the request carries inline bytes in base64
            break
        chosen.append(item)
        total -= item.size
    return chosen


class GeminiUploader:
    """Uploads through `client.aio.files` and waits until each file is ACTIVE."""

    def __init__(self, poll_interval: float = 1.0, active_timeout: float = 300.0) -> None:
        self.poll_interval = poll_interval
        self.active_timeout = active_timeout
        self._done: dict[tuple[Any, ...], tuple[str, str, Any]] = {}  # key -> (uri, mime, the ref, kept alive)

    async def upload(self, client: Any, item: Pending, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
        """A file_id item (URI + MIME type) replacing `item`'s inline media; `progress` hears confirmed bytes."""
        ref = item.ref
        key = file_key(ref)
        if key not in self._done:
            token = _PROGRESS.set(progress)
            try:
                self._done[key] = (*await self._send(client, ref), ref)
            finally:
                _PROGRESS.reset(token)
        uri, mime, _ = self._done[key]
        return {"file_id": uri, "mime_type": mime, **({"filename": ref.item.filename} if ref.item.filename else {})}

    async def upload_with_progress(self, client: Any, item: Pending, source: str | None) -> AsyncIterator[MultimodalStreamChunk]:
        """Upload `item` (its result lands in `item.uploaded`), yielding ATTACHMENT chunks with the bytes
        confirmed so far (0 first) and ATTACHMENT_COMPLETE at the end; nothing for a file already sent."""
        if file_key(item.ref) in self._done:
            item.uploaded = await self.upload(client, item)
            return
        confirmed: asyncio.Queue[int] = asyncio.Queue()
        work = asyncio.ensure_future(self.upload(client, item, confirmed.put_nowait))
        shown = 0
        try:
            yield upload_chunk(item, source, 0)
            while not work.done() or not confirmed.empty():
                done = await _next_or_end(confirmed, work)
                if done is not None and done > shown:
                    shown = done
                    yield upload_chunk(item, source, done)
            item.uploaded = work.result()
        finally:
            if not work.done():
                work.cancel()
                await asyncio.gather(work, return_exceptions=True)
        yield upload_chunk(item, source, item.size, complete=True)

    async def _send(self, client: Any, ref: Any) -> tuple[str, str]:
        source: Any = ref.item.path if ref.kind == "path" else io.BytesIO(ref.read_bytes())
        config = {"mime_type": ref.item.mime_type, **({"display_name": ref.item.filename} if ref.item.filename else {})}
        uploaded = await client.aio.files.upload(file=source, config=config)
        uploaded = await self._until_active(client, uploaded, ref)
        return uploaded.uri, uploaded.mime_type or ref.item.mime_type

    async def _until_active(self, client: Any, uploaded: Any, ref: Any) -> Any:
        deadline = time.monotonic() + self.active_timeout
        while _state(uploaded) == "PROCESSING":
            if time.monotonic() > deadline:
                raise MediaError(ref.name, f"was still being processed by Gemini after {self.active_timeout:g} s",
                                 "try again later, or send a shorter file")
            await asyncio.sleep(self.poll_interval)
            uploaded = await client.aio.files.get(name=uploaded.name)
        if _state(uploaded) not in ("ACTIVE", None):
            raise MediaError(ref.name, f"could not be processed by the Gemini Files API (state {_state(uploaded)})",
                             "check the file plays or opens, or convert it to a common format")
        return uploaded


async def report_upload_progress(response: Any) -> None:
    """httpx2 response hook: after each chunk of a resumable upload, tell the upload in this task the bytes confirmed."""
    report = _PROGRESS.get()
    headers = response.request.headers
    if report is None or "upload" not in headers.get("x-goog-upload-command", "") or response.status_code >= 300:
        return
    report(int(headers.get("x-goog-upload-offset", "0")) + int(headers.get("content-length", "0")))


def upload_chunk(item: Pending, source: str | None, done: int, complete: bool = False, *,
                 service: str = "Gemini", id_prefix: str = "gemini") -> MultimodalStreamChunk:
    """ATTACHMENT with the bytes done so far, or ATTACHMENT_COMPLETE; one media_id ties them together.
    `service` names the file API in the chunk's text (Gemini, Anthropic)."""
    ref = item.ref
    name = ref.item.filename or ref.name
    path = ref.item.path if ref.kind == "path" else None
    return MultimodalStreamChunk(
        type=ChunkType.ATTACHMENT_COMPLETE if complete else ChunkType.ATTACHMENT, source=source,
        text_content=f"{'uploaded' if complete else 'uploading'} {name} through the {service} Files API",
        media_type=MediaType(item.kind), media_encoding=MediaEncoding.FILE_PATH if path else None, media_data=path,
        media_metadata=MediaItem(mime_type=ref.item.mime_type, size_bytes=item.size, filename=name),
        media_id=f"{id_prefix}-upload-{name}-{item.size}", attachments=[{"filename": name, "size_bytes": item.size}],
        bytes_transferred=min(done, item.size), total_bytes=item.size)


def file_key(ref: Any) -> tuple[Any, ...]:
    """What an upload is remembered by: a file on disk by (real path, size, mtime), so an edited file goes up
    again; anything else by the ref object itself (the uploader keeps the ref, so its id stays unique)."""
    item = ref.item
    if ref.kind == "path":
        return ("path", item.realpath or item.path, item.size_bytes, item.mtime_ns)
    return (ref.kind, id(ref), item.size_bytes)


async def _next_or_end(queue: asyncio.Queue[int], work: asyncio.Future[Any]) -> int | None:
    """The next value put on `queue`, or None once `work` has ended with the queue empty."""
    if not queue.empty():
        return queue.get_nowait()
    getter = asyncio.ensure_future(queue.get())
    await asyncio.wait({getter, work}, return_when=asyncio.FIRST_COMPLETED)
    if getter.done():
        return getter.result()
    getter.cancel()
    return None




def _state(uploaded: Any) -> str | None:
    state = getattr(uploaded, "state", None)
    return getattr(state, "name", state)


def replace_items(messages: list[dict[str, Any]],
                  replacements: dict[tuple[int, int], dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of `messages` with the items at (message, index) swapped for their uploaded form."""
    out = []
    for m, message in enumerate(messages):
        content = message.get("content")
        if isinstance(content, list) and any(key[0] == m for key in replacements):
            content = [{"type": item["type"], **replacements[(m, i)]} if (m, i) in replacements else item
                       for i, item in enumerate(content)]
            message = {**message, "content": content}
        out.append(message)
    return out

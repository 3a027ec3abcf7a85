"""PDFs too large to go inline in a Claude request go up through the Anthropic Files API first.

Which items go up is gemini_upload.to_upload's rule, over the types whose table entry has an
`upload_max_bytes` (documents; images are fitted, never uploaded). Each file goes up once per
path+size+mtime for the life of the backend. Progress: the SDK streams a file object given in a
(name, file, type) tuple 64 KB at a time, so a reader that counts what it hands over reports the
bytes sent; the server confirms only the whole file, with the file id.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace
from typing import Any, AsyncIterator, Callable

from massgen.media.errors import MediaError
from massgen.media.limits import BackendLimits
from massgen.stream_chunk import MultimodalStreamChunk

from .failures import classify
from .gemini_upload import Pending, file_key, to_upload, upload_chunk

FILES_BETA = "files-api-2025-04-14"
_STEPS = 20  # progress chunks per file at most, besides the first and the last


def uploadable(limits: BackendLimits) -> BackendLimits:
    """`limits` with only the media types the table says may go through the Files API."""
    return replace(limits, input={t: lim for t, lim in limits.input.items() if lim.upload_max_bytes})


def pending_uploads(messages: list[dict[str, Any]], inline_max: int, limits: BackendLimits) -> list[Pending]:
    """The inline items to upload: over their type's inline limit (or the request's), within the upload limit."""
    return to_upload(messages, inline_max, uploadable(limits))


class CountingReader(io.BufferedReader):
    """A file opened for the upload that reports the bytes read so far, every `step` bytes and at the end."""

    def __init__(self, path: str, report: Callable[[int], None], step: int) -> None:
        super().__init__(io.FileIO(path, "rb"))
        self._report, self._step, self.sent, self._shown = report, max(1, step), 0, 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.sent += len(data)
        if self.sent - self._shown >= self._step or (not data and self.sent > self._shown):
            self._shown = self.sent
            self._report(self.sent)
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        position = super().seek(offset, whence)
        if position == 0:
            self.sent = self._shown = 0  # the SDK rewinds before it streams the body
        return position


class ClaudeUploader:
    """Uploads through `client.beta.files.upload` and remembers each file id."""

    def __init__(self) -> None:
        self._done: dict[tuple[Any, ...], tuple[str, Any]] = {}  # key -> (file id, the ref, kept so id() stays unique)

    async def upload_with_progress(self, client: Any, item: Pending, source: str | None) -> AsyncIterator[MultimodalStreamChunk]:
        """Upload `item` (a file_id item lands in `item.uploaded`), yielding ATTACHMENT chunks with the bytes
        sent so far (0 first) and one ATTACHMENT_COMPLETE; nothing for a file already uploaded.

        A failed upload raises MediaError naming the file (the backend turns it into one ERROR line)."""
        key = file_key(item.ref)
        if key not in self._done:
            sent: asyncio.Queue[int | None] = asyncio.Queue()
            work = asyncio.ensure_future(self._send(client, item, sent.put_nowait))
            work.add_done_callback(lambda _: sent.put_nowait(None))
            try:
                yield claude_chunk(item, source, 0)
                while (done := await sent.get()) is not None:
                    yield claude_chunk(item, source, done)
                self._done[key] = (work.result(), item.ref)
            finally:
                if not work.done():
                    work.cancel()
                    await asyncio.gather(work, return_exceptions=True)
            yield claude_chunk(item, source, item.size, complete=True)
        ref = item.ref
        item.uploaded = {"file_id": self._done[key][0], "mime_type": ref.item.mime_type,
                         **({"filename": ref.item.filename} if ref.item.filename else {})}

    async def _send(self, client: Any, item: Pending, report: Callable[[int], None]) -> str:
        ref = item.ref
        name = ref.item.filename or ref.name
        try:
            body: Any = CountingReader(ref.item.path, report, item.size // _STEPS) if ref.kind == "path" \
                else io.BytesIO(ref.read_bytes())
        except OSError as exc:
            raise MediaError(name, f"could not be opened for the upload ({exc.strerror})", "attach it again") from None
        with body:
            try:
                uploaded = await client.beta.files.upload(file=(name, body, ref.item.mime_type), betas=[FILES_BETA])
            except _upload_errors() as exc:
                failure = classify(exc).message("its upload to the Anthropic Files API failed")
                raise MediaError(name, failure, "try again, or attach a smaller file") from None
        return uploaded.id


def claude_chunk(item: Pending, source: str | None, done: int, complete: bool = False) -> MultimodalStreamChunk:
    """The shared upload chunk, worded for the Anthropic Files API, with its own media_id."""
    return upload_chunk(item, source, done, complete, service="Anthropic", id_prefix="claude")


def _upload_errors() -> tuple[type[BaseException], ...]:
    """What a failed upload raises: the SDK's errors and the transport's (not a bug of ours)."""
    import anthropic
    import httpx2

    return (anthropic.APIError, httpx2.TransportError, httpx2.StreamError)

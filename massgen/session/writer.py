"""One session folder: a replayable JSONL transcript, each agent's answers, the final answer, every media file.

File writes run in a thread (`asyncio.to_thread`); the transcript is buffered and flushed in
blocks, and media is kept on disk, so a long session does not grow in memory.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from massgen.stream_chunk import BaseStreamChunk, ChunkType, MediaEncoding, MediaMetadata, MultimodalStreamChunk

from . import media_index
from .continuations import CONTINUATIONS, load_store, store_text
from .files import copy_new, replace_file, write_new
from .media_index import MediaRecord
from .names import reserve_dir, reserve_file, safe_extension, safe_filename, safe_stem, timestamp_name

DEFAULT_ROOT = "massgen_outputs"
TRANSCRIPT = "transcript.jsonl"
MEDIA_INDEX = "media.json"
FLUSH_BYTES = 64 * 1024
_INLINE = (MediaEncoding.BASE64, MediaEncoding.BINARY)


class SessionError(ValueError):
    """The session folder cannot be made or written; the message names the folder and the fix."""


class Session:
    """Writes one session's outputs into `folder`; never overwrites, names are sanitised.

    Reopening a folder picks up its media index and continuation store, so its images keep their
    version history and can still be refined.
    """

    def __init__(self, folder: str | os.PathLike[str], *, flush_bytes: int = FLUSH_BYTES,
                 store_options: Mapping[str, Any] | None = None) -> None:
        self.folder = Path(folder).resolve()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.media_dir = self.folder / "media"
        self.answers_dir = self.folder / "answers"
        self.transcript_path: Path | None = None
        self.final_answer_paths: list[Path] = []
        self.continuations_path = self.folder / CONTINUATIONS
        try:
            self.media_index: list[dict[str, Any]] = media_index.load_index(self.folder / MEDIA_INDEX)
            self.continuations = load_store(self.continuations_path, self.folder, store_options)
        except ValueError as exc:  # MediaIndexError, ContinuationError: one line naming the file and the fix
            raise SessionError(str(exc)) from None
        self._flush_bytes = flush_bytes
        self._buffer: list[str] = []
        self._buffered = 0
        self._lock = asyncio.Lock()

    @classmethod
    def create(cls, root: str | os.PathLike[str] | None = None, name: str | None = None) -> "Session":
        """A new session in `<root>/<timestamp>` (or `<root>/<name>`), adding -2, -3 ... if taken."""
        parent = Path(root if root is not None else DEFAULT_ROOT).expanduser()
        try:
            folder = reserve_dir(parent, safe_stem(name, "session") if name else timestamp_name())
        except OSError as exc:
            raise SessionError(f"{parent}: cannot create a session folder here ({exc.strerror or exc}); "
                               "set output_dir (or --output-dir) to a writable folder") from None
        return cls(folder)

    @classmethod
    def open(cls, folder: str | os.PathLike[str], **options: Any) -> "Session":
        """An existing session folder, reopened (after a restart) to go on with it."""
        path = Path(folder).expanduser()
        if not path.is_dir():
            raise SessionError(f"{path}: no session folder there; give the folder that holds media.json")
        return cls(path, **options)

    def __repr__(self) -> str:
        return f"<Session {self.folder}>"

    # transcript -----------------------------------------------------------------------------
    async def record(self, chunk: BaseStreamChunk) -> None:
        """Append one chunk to the transcript (buffered); inline media is saved to a file first."""
        if isinstance(chunk, MultimodalStreamChunk) and chunk.type == ChunkType.MEDIA and chunk.media_encoding in _INLINE:
            chunk = await self.persist_media(chunk)
        line = json.dumps(self._transcript_dict(chunk), ensure_ascii=False, default=_json_fallback)
        self._buffer.append(line + "\n")
        self._buffered += len(line) + 1
        if self._buffered >= self._flush_bytes:
            await self.flush()

    async def flush(self) -> None:
        """Write buffered transcript lines to disk, in a thread."""
        async with self._lock:
            if not self._buffer:
                return
            data, self._buffer, self._buffered = "".join(self._buffer), [], 0
            await asyncio.to_thread(self._append, data)

    async def close(self) -> None:
        await self.flush()

    def _append(self, data: str) -> None:
        if self.transcript_path is None:
            self.transcript_path = reserve_file(self.folder, TRANSCRIPT)
        with open(self.transcript_path, "a", encoding="utf-8") as fh:
            fh.write(data)

    def _transcript_dict(self, chunk: BaseStreamChunk) -> dict[str, Any]:
        """chunk.to_dict(), with session paths made relative and partial-image previews left out."""
        data = chunk.to_dict()
        if not isinstance(chunk, MultimodalStreamChunk):
            return data
        if chunk.type == ChunkType.MEDIA_PROGRESS and chunk.media_encoding in _INLINE:
            data.pop("media_data", None)  # previews are superseded by the final MEDIA chunk
            data.pop("media_encoding", None)
        elif chunk.media_encoding == MediaEncoding.FILE_PATH and isinstance(chunk.media_data, str):
            data["media_data"] = self._relative(chunk.media_data)
        return data

    def _relative(self, path: str) -> str:
        try:
            return Path(path).resolve().relative_to(self.folder).as_posix()
        except ValueError:
            return path

    # media ---------------------------------------------------------------------------------
    async def persist_media(self, chunk: MultimodalStreamChunk, *, parent: MediaRecord | None = None,
                            edit: str | None = None, via: str | None = None) -> MultimodalStreamChunk:
        """The same MEDIA chunk with its media in the session's media folder (FILE_PATH encoding), indexed.

        With `parent`, the file is indexed as the next version of the parent's lineage (`edit` says what
        was asked, `via` how: "continuation" or "image").
        """
        meta = chunk.media_metadata
        stem = _media_stem(chunk)
        if chunk.media_encoding in _INLINE:
            data = chunk.media_data
            raw = data if isinstance(data, (bytes, bytearray, memoryview)) else _b64decode(str(data))
            path = await self._store_bytes(bytes(raw), stem, meta.mime_type if meta else None)
        elif chunk.media_encoding == MediaEncoding.FILE_PATH:
            path = await self._store_file(Path(str(chunk.media_data)), stem)
        else:
            return chunk  # a URL or provider file id: nothing local to keep
        saved = replace(chunk, media_encoding=MediaEncoding.FILE_PATH, media_data=str(path),
                        media_metadata=await asyncio.to_thread(_measured, path, meta))
        info = _index_info(saved)
        if parent is not None:
            info.update(media_index.version_fields(self.media_index, parent, self.folder, edit, via))
        await self._index(path, info)
        return saved

    async def save_media_bytes(self, data: bytes, *, stem: str, mime_type: str | None = None,
                               info: dict[str, Any] | None = None) -> Path:
        """Write media bytes as a new file named from `stem` and the bytes' real type; index it."""
        path = await self._store_bytes(data, stem, mime_type)
        await self._index(path, info or {})
        return path

    async def _store_bytes(self, data: bytes, stem: str, mime_type: str | None) -> Path:
        ext = _extension_for(data, mime_type)
        return await asyncio.to_thread(write_new, self.media_dir, safe_filename(stem, ext, "media"), data)

    async def _store_file(self, source: Path, stem: str) -> Path:
        """A file already in the media folder stays; one from elsewhere is copied in (streamed)."""
        source = source.expanduser().resolve()
        if source.parent == self.media_dir.resolve():
            return source
        name = safe_filename(stem, source.suffix or "bin", "media")
        return await asyncio.to_thread(copy_new, self.media_dir, name, source)

    async def _index(self, path: Path, info: dict[str, Any]) -> None:
        """Add one file to media.json (rewritten atomically; continuation ids are kept here)."""
        if any(entry["file"] == f"media/{path.name}" for entry in self.media_index):
            return
        entry = {"file": f"media/{path.name}", **{k: v for k, v in info.items() if v is not None}}
        if entry.get("continuation_id") in self.continuations:
            entry["continuation_saved"] = True  # so a later miss is known to be an expiry, not a stranger
        self.media_index.append(entry)
        text = json.dumps(self.media_index, indent=1, ensure_ascii=False)
        async with self._lock:
            await asyncio.to_thread(replace_file, self.folder / MEDIA_INDEX, text)
        if entry.get("continuation_id"):
            await self.save_continuations()

    async def save_continuations(self) -> Path:
        """Write the continuation store to continuations.json (atomically), so refining survives a restart."""
        async with self._lock:
            text = store_text(self.continuations, self.folder)
            await asyncio.to_thread(replace_file, self.continuations_path, text)
        return self.continuations_path

    # versions ------------------------------------------------------------------------------
    def media_records(self) -> list[MediaRecord]:
        """Every indexed media file, in the order it was saved."""
        return media_index.records(self.media_index, self.folder)

    def find_media(self, key: str | os.PathLike[str]) -> MediaRecord | None:
        """The indexed file named by a path, file name, media id or continuation id; None when unknown."""
        return media_index.find(self.media_index, key, self.folder)

    def versions_of(self, key: str | os.PathLike[str]) -> list[MediaRecord]:
        """Every version of the image `key` names (first version first); empty when the session has no such image."""
        record = self.find_media(key)
        return media_index.lineage_of(self.media_index, record, self.folder) if record is not None else []

    # answers -------------------------------------------------------------------------------
    async def save_answer(self, agent_id: str, version: int, text: str, turn: int = 1,
                          media_paths: Sequence[str] = ()) -> Path:
        """`answers/<agent>-answer-<version>.md` (follow-up turns: `<agent>-turn<n>-answer-<version>.md`)."""
        stem = f"{agent_id}-answer-{version}" if turn <= 1 else f"{agent_id}-turn{turn}-answer-{version}"
        body = _with_links(text, [f"../{self._relative(p)}" for p in media_paths])
        return await asyncio.to_thread(write_new, self.answers_dir, safe_filename(stem, "md", "agent"), body)

    async def save_final_answer(self, text: str, media_paths: Sequence[str] = ()) -> Path:
        """`final_answer.md` (then -2, -3 for follow-up turns), linking media not already linked."""
        body = _with_links(text, [self._relative(p) for p in media_paths])
        path = await asyncio.to_thread(write_new, self.folder, "final_answer.md", body)
        self.final_answer_paths.append(path)
        return path


def _with_links(text: str, links: Sequence[str]) -> str:
    """Markdown text ending in a newline, with an image link for each media file it does not link yet."""
    extra = [f"![{Path(link).name}]({link})" for link in links if link not in text]
    return text.rstrip() + ("\n\n" + "\n".join(extra) if extra else "") + "\n"


def _measured(path: Path, meta: MediaMetadata | None) -> MediaMetadata:
    """The chunk's metadata with what the saved file really is (type, size, dimensions from its header)."""
    from massgen.media.errors import MediaError
    from massgen.media.probe import probe

    base = meta or MediaMetadata(mime_type="application/octet-stream")
    try:
        info = probe(path)
    except MediaError:
        return replace(base, filename=path.name, size_bytes=path.stat().st_size)
    mime = info.mime_type if info.mime_type != "application/octet-stream" else base.mime_type
    return replace(base, filename=path.name, size_bytes=info.size_bytes, mime_type=mime,
                   width=base.width or info.width, height=base.height or info.height,
                   duration_seconds=base.duration_seconds or info.duration_seconds)


def _media_stem(chunk: MultimodalStreamChunk) -> str:
    meta = chunk.media_metadata
    words = (meta.prompt or "") if meta else ""
    base = safe_stem(" ".join(words.split()[:6]), "", 40) if words else ""
    who = safe_stem(chunk.source or "media", "media", 30)
    return f"{who}-{base}" if base else who


def _index_info(chunk: MultimodalStreamChunk) -> dict[str, Any]:
    meta = chunk.media_metadata
    info: dict[str, Any] = {"agent": chunk.source, "media_id": chunk.media_id,
                            "media_type": chunk.media_type.value if chunk.media_type else None}
    if meta:
        info.update({"mime_type": meta.mime_type, "continuation_id": meta.continuation_id,
                     "generator": meta.generator, "prompt": meta.prompt, "width": meta.width, "height": meta.height,
                     "size_bytes": meta.size_bytes})
    return info


def _extension_for(data: bytes, mime_type: str | None) -> str:
    """The extension of what the bytes really are (magic bytes), else of the declared MIME type."""
    from massgen.media.sniff import sniff

    sniffed = sniff(data[:4096])
    if sniffed.mime_type != "application/octet-stream":
        return safe_extension(sniffed.extension)
    import mimetypes

    guessed = mimetypes.guess_extension(mime_type or "") or ""
    return safe_extension(guessed, "bin")


def _b64decode(text: str) -> bytes:
    import base64

    if text.startswith("data:") and "," in text:
        text = text.split(",", 1)[1]
    return base64.b64decode(text)


def _json_fallback(value: Any) -> Any:
    """Objects JSON does not know (a MediaRef in a message, a Path) are recorded by their text form."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return repr(value)

"""One session folder: a replayable JSONL transcript, each agent's answers, the final answer, every media file
(indexed in media.json), and the continuation store that lets its images be refined (continuations.json).

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

from massgen.files import copy_new, relative_within, replace_file, reserve_dir, reserve_file, write_new
from massgen.generation.store import ContinuationStore
from massgen.media.item import MediaItem
from massgen.media.kinds import UNKNOWN_MIME
from massgen.stream_chunk import BaseStreamChunk, ChunkType, MediaEncoding, MultimodalStreamChunk

from . import media_index
from .names import safe_extension, safe_filename, safe_stem, timestamp_name

DEFAULT_ROOT = "massgen_outputs"
TRANSCRIPT = "transcript.jsonl"
MEDIA_INDEX = "media.json"
CONTINUATIONS = "continuations.json"
FLUSH_BYTES = 64 * 1024
_INLINE = (MediaEncoding.BASE64, MediaEncoding.BINARY)


class SessionError(ValueError):
    """The session folder cannot be made or written; the message names the folder and the fix."""


class Session:
    """Writes one session's outputs into `folder`; never overwrites, names are sanitised.

    It owns the continuation store (`continuations`): whoever generates or refines media in the
    session is handed it. Reopening a folder picks up its media index and continuation store, so its
    images keep their version history and can still be refined.
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
            self.media, saved = media_index.load_index(self.folder / MEDIA_INDEX, self.folder)
            self.continuations = ContinuationStore.load(self.continuations_path, self.folder,
                                                        **dict(store_options or {}))
        except ValueError as exc:  # MediaIndexError, ContinuationError: one line naming the file and the fix
            raise SessionError(str(exc)) from None
        for cid in saved:  # an older session's mark that the store held this id: a miss is an expiry
            if cid not in self.continuations:
                self.continuations.forget(cid)
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
            data["media_data"] = relative_within(chunk.media_data, self.folder)
        described = data.get("media_metadata") or {}
        for key in media_index.VERSION_PATHS:
            if isinstance(described.get(key), str):
                described[key] = relative_within(described[key], self.folder)
        return data

    # media ---------------------------------------------------------------------------------
    async def persist_media(self, chunk: MultimodalStreamChunk, *, parent: MediaItem | None = None,
                            edit: str | None = None, via: str | None = None) -> MultimodalStreamChunk:
        """The same MEDIA chunk with its media in the session's media folder (FILE_PATH encoding), indexed.

        With `parent`, the file is indexed as the next version of the parent's lineage (`edit` says what
        was asked, `via` how: "continuation" or "image"); the chunk then carries its version.
        """
        item = chunk.item()
        stem = _media_stem(item, chunk.source)
        if item.data is not None:
            path = await self._store_bytes(item.data, stem, item.mime_type)
        elif item.path is not None:
            path = await self._store_file(Path(item.path), stem)
        else:
            return chunk  # a URL or provider file id: nothing local to keep
        saved = await asyncio.to_thread(_measured, path, item)
        if parent is not None:
            saved = media_index.next_version(self.media, parent, saved, edit, via)
        return chunk.with_item(await self._index(saved))

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

    async def _index(self, item: MediaItem) -> MediaItem:
        """Add one file to media.json (rewritten atomically); the item as indexed (the earlier one if it was)."""
        known = next((i for i in self.media if i.path == item.path), None)
        if known is not None:
            return known
        self.media.append(item)
        text = json.dumps([media_index.entry_of(i, self.folder) for i in self.media], indent=1, ensure_ascii=False)
        async with self._lock:
            await asyncio.to_thread(replace_file, self.folder / MEDIA_INDEX, text)
        if item.continuation_id:
            await self.save_continuations()
        return item

    async def save_continuations(self) -> Path:
        """Write the continuation store to continuations.json (atomically), so refining survives a restart."""
        async with self._lock:
            await asyncio.to_thread(self.continuations.save, self.continuations_path, self.folder)
        return self.continuations_path

    # versions ------------------------------------------------------------------------------
    def find_media(self, key: str | os.PathLike[str]) -> MediaItem | None:
        """The indexed file named by a path, file name, media id or continuation id; None when unknown."""
        return media_index.find(self.media, key, self.folder)

    def versions_of(self, key: str | os.PathLike[str]) -> list[MediaItem]:
        """Every version of the image `key` names (first version first); empty when the session has no such image."""
        item = self.find_media(key)
        return media_index.lineage_of(self.media, item) if item is not None else []

    # answers -------------------------------------------------------------------------------
    async def save_answer(self, agent_id: str, version: int, text: str, turn: int = 1,
                          media_paths: Sequence[str] = ()) -> Path:
        """`answers/<agent>-answer-<version>.md` (follow-up turns: `<agent>-turn<n>-answer-<version>.md`)."""
        stem = f"{agent_id}-answer-{version}" if turn <= 1 else f"{agent_id}-turn{turn}-answer-{version}"
        body = _with_links(text, [f"../{relative_within(p, self.folder)}" for p in media_paths])
        return await asyncio.to_thread(write_new, self.answers_dir, safe_filename(stem, "md", "agent"), body)

    async def save_final_answer(self, text: str, media_paths: Sequence[str] = ()) -> Path:
        """`final_answer.md` (then -2, -3 for follow-up turns), linking media not already linked."""
        body = _with_links(text, [relative_within(p, self.folder) for p in media_paths])
        path = await asyncio.to_thread(write_new, self.folder, "final_answer.md", body)
        self.final_answer_paths.append(path)
        return path


def _with_links(text: str, links: Sequence[str]) -> str:
    """Markdown text ending in a newline, with an image link for each media file it does not link yet."""
    extra = [f"![{Path(link).name}]({link})" for link in links if link not in text]
    return text.rstrip() + ("\n\n" + "\n".join(extra) if extra else "") + "\n"


def _measured(path: Path, item: MediaItem) -> MediaItem:
    """The item as saved: its file, and what that file really is (type, size, dimensions from its header)."""
    from massgen.media.errors import MediaError
    from massgen.media.probe import probe

    saved = replace(item, path=str(path), data=None, filename=path.name)
    try:
        found = probe(path)
    except MediaError:
        return replace(saved, size_bytes=path.stat().st_size)
    mime = found.mime_type if found.mime_type != UNKNOWN_MIME else item.mime_type
    return replace(saved, size_bytes=found.size_bytes, mime_type=mime, width=item.width or found.width,
                   height=item.height or found.height, duration_seconds=item.duration_seconds or found.duration_seconds)


def _media_stem(item: MediaItem, source: str | None) -> str:
    """`<agent>-<first words of the prompt>`; a file without a prompt keeps its own name."""
    words = item.prompt or ""
    base = safe_stem(" ".join(words.split()[:6]), "", 40) if words else ""
    who = safe_stem(source or "media", "media", 30)
    if not base and item.filename:
        return safe_stem(Path(item.filename).stem, who, 40)
    return f"{who}-{base}" if base else who


def _extension_for(data: bytes, mime_type: str | None) -> str:
    """The extension of what the bytes really are (magic bytes), else of the declared MIME type."""
    from massgen.media.sniff import sniff

    sniffed = sniff(data[:4096])
    if sniffed.mime_type != "application/octet-stream":
        return safe_extension(sniffed.extension)
    import mimetypes

    guessed = mimetypes.guess_extension(mime_type or "") or ""
    return safe_extension(guessed, "bin")


def _json_fallback(value: Any) -> Any:
    """Objects JSON does not know (a MediaRef in a message, a Path) are recorded by their text form."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return repr(value)

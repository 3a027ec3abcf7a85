"""Replaying a session transcript: one chunk per JSONL line, rebuilt with `chunk_from_dict`."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Iterator

from massgen.stream_chunk import BaseStreamChunk, MediaEncoding, MultimodalStreamChunk, chunk_from_dict



class TranscriptError(ValueError):
    """A transcript line that is not a chunk; the message names the file and line."""


def replay(path: str | os.PathLike[str]) -> Iterator[BaseStreamChunk]:
    """Yield the chunks of a transcript (a file, or a session folder holding transcript.jsonl) in order.

    Media paths saved relative to the session folder come back absolute.
    """
    file = Path(path)
    if file.is_dir():
        file = file / "transcript.jsonl"
    if not file.is_file():
        raise TranscriptError(f"{file}: no transcript here; give a session folder or its transcript.jsonl")
    folder = file.resolve().parent
    with open(file, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                yield _chunk(line, file, number, folder)


def _chunk(line: str, file: Path, number: int, folder: Path) -> BaseStreamChunk:
    try:
        chunk = chunk_from_dict(json.loads(line))
    except ValueError as exc:  # json.JSONDecodeError is a ValueError too
        raise TranscriptError(f"{file}:{number}: not a chunk ({exc}); the transcript is damaged at this line") from None
    if not isinstance(chunk, MultimodalStreamChunk):
        return chunk
    if chunk.media_encoding == MediaEncoding.FILE_PATH and not Path(str(chunk.media_data)).is_absolute():
        chunk.media_data = str(folder / str(chunk.media_data))
    meta = chunk.media_metadata
    if meta is not None and (meta.parent or meta.lineage):
        chunk.media_metadata = replace(meta, parent=_absolute(meta.parent, folder), lineage=_absolute(meta.lineage, folder))
    return chunk


def _absolute(path: str | None, folder: Path) -> str | None:
    """A path the transcript keeps relative to the session folder, made absolute again."""
    return str(folder / path) if path and not Path(path).is_absolute() else path

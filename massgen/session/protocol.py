"""What a run needs from its session: the one contract the orchestrator, the agents' media tools and
image edits (massgen.iterate) write through. `Session` satisfies it; so does the app's scratch session."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Sequence

from massgen.stream_chunk import BaseStreamChunk, MultimodalStreamChunk

if TYPE_CHECKING:
    from massgen.generation.store import ContinuationStore

    from massgen.media.item import MediaItem


class RunSession(Protocol):
    """A session folder being written: transcript, answers, media (indexed, with versions) and continuations."""

    @property
    def folder(self) -> Path: ...

    @property
    def media_dir(self) -> Path: ...

    @property
    def continuations(self) -> "ContinuationStore": ...

    async def record(self, chunk: BaseStreamChunk) -> None: ...

    async def flush(self) -> None: ...

    async def close(self) -> None: ...

    async def persist_media(self, chunk: MultimodalStreamChunk, *, parent: "MediaItem | None" = None,
                            edit: str | None = None, via: str | None = None) -> MultimodalStreamChunk: ...

    def find_media(self, key: str | os.PathLike[str]) -> "MediaItem | None": ...

    async def save_answer(self, agent_id: str, version: int, text: str, turn: int = 1,
                          media_paths: Sequence[str] = ()) -> Path: ...

    async def save_final_answer(self, text: str, media_paths: Sequence[str] = ()) -> Path: ...

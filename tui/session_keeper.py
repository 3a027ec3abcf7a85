"""Where the session folder lives: in the output folder from the start (save_outputs), or in a scratch
folder that Ctrl+S copies into the output folder. The orchestrator writes into it either way.

The scratch folder is made only when something is first written (an app that never runs a task leaves
nothing behind) and removed when the app closes, however it closes (quit, exit, garbage collection)."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from massgen.files import reserve_dir
from massgen.media import MediaItem
from massgen.session import DEFAULT_ROOT, Session
from massgen.session.names import timestamp_name
from massgen.stream_chunk import BaseStreamChunk, MultimodalStreamChunk
from tui.team_loader import TeamRunner

if TYPE_CHECKING:
    from massgen.generation.store import ContinuationStore

SCRATCH_PREFIX = "massgen-tui-"


def scratch_prefix() -> str:
    """`massgen-tui-<pid>-`: the pid lets a test (or a user) tell this process's folders from others'."""
    return f"{SCRATCH_PREFIX}{os.getpid()}-"


class ScratchSession:
    """A Session in a temporary folder that is made on first use; until then flush/close do nothing.

    It is a RunSession: each member is the real Session's, which is made (with its folder) when first needed."""

    def __init__(self, parent: Path | None = None) -> None:
        self._parent = parent
        self._real: Session | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    @property
    def created(self) -> bool:
        return self._real is not None

    @property
    def real(self) -> Session:
        """The Session, making its folder now if this is the first use."""
        if self._real is None:
            folder = Path(tempfile.mkdtemp(prefix=scratch_prefix(), dir=self._parent))
            self._finalizer = weakref.finalize(self, shutil.rmtree, str(folder), True)
            self._real = Session(folder)
        return self._real

    @property
    def folder(self) -> Path:
        return self.real.folder

    @property
    def media_dir(self) -> Path:
        return self.real.media_dir

    @property
    def continuations(self) -> "ContinuationStore":
        return self.real.continuations

    async def record(self, chunk: BaseStreamChunk) -> None:
        await self.real.record(chunk)

    async def persist_media(self, chunk: MultimodalStreamChunk, *, parent: MediaItem | None = None,
                            edit: str | None = None, via: str | None = None) -> MultimodalStreamChunk:
        return await self.real.persist_media(chunk, parent=parent, edit=edit, via=via)

    def find_media(self, key: str | os.PathLike[str]) -> MediaItem | None:
        return self.real.find_media(key)

    def versions_of(self, key: str | os.PathLike[str]) -> list[MediaItem]:
        return self.real.versions_of(key)

    async def save_answer(self, agent_id: str, version: int, text: str, turn: int = 1,
                          media_paths: Sequence[str] = ()) -> Path:
        return await self.real.save_answer(agent_id, version, text, turn, media_paths)

    async def save_final_answer(self, text: str, media_paths: Sequence[str] = ()) -> Path:
        return await self.real.save_final_answer(text, media_paths)

    async def flush(self) -> None:
        if self._real is not None:
            await self._real.flush()

    async def close(self) -> None:
        if self._real is not None:
            await self._real.close()

    def remove(self) -> None:
        """Delete the folder (blocking; a no-op when it was never made or is already gone)."""
        if self._finalizer is not None:
            self._finalizer()  # runs shutil.rmtree once, and never again at exit


class SessionKeeper:
    """Owns the Session handed to the orchestrator and knows how to make it permanent."""

    def __init__(self, output_dir: Path | None = None, scratch_parent: Path | None = None) -> None:
        self.output_dir = output_dir
        self.scratch_parent = scratch_parent
        self.session: Session | ScratchSession | None = None
        self.automatic = False
        self.saved_folder: Path | None = None
        self.closed = False

    @property
    def root(self) -> Path:
        return Path(self.output_dir or DEFAULT_ROOT).expanduser()

    @property
    def scratch(self) -> ScratchSession | None:
        return self.session if isinstance(self.session, ScratchSession) else None

    def open(self, save_outputs: bool, config_output_dir: Path | None = None) -> Session | ScratchSession:
        """The session for the orchestrator: permanent if `save_outputs`, else scratch until Ctrl+S."""
        self.output_dir = self.output_dir or config_output_dir
        self.automatic = save_outputs
        if save_outputs:
            self.session = Session.create(self.root)
            self.saved_folder = self.session.folder
        else:
            self.session = ScratchSession(self.scratch_parent)
        return self.session

    def begin(self) -> None:
        """A task starts: from now on there is a session to save (a scratch folder is made if not yet)."""
        if self.scratch is not None:
            _ = self.scratch.real

    @property
    def has_content(self) -> bool:
        """Whether anything was written yet (a scratch session that was never used holds nothing)."""
        return self.session is not None and (self.scratch is None or self.scratch.created)

    @property
    def cache_dir(self) -> Path:
        """Where media held only in memory is written so that an outside viewer can open it."""
        return Path(tempfile.gettempdir()) / "massgen-tui-media"

    async def save(self) -> Path:
        """Flush the session and make it permanent; the folder a user can open."""
        if not self.has_content:
            raise ValueError("nothing to save yet: no task has run")
        assert self.session is not None
        await self.session.flush()
        if self.automatic:
            return self.session.folder
        return await asyncio.to_thread(self._copy_out)

    def _copy_out(self) -> Path:
        """Copy the scratch session into the output folder (the same target on later saves, updated)."""
        if self.saved_folder is None:
            self.saved_folder = reserve_dir(self.root, timestamp_name())
        assert self.session is not None
        shutil.copytree(self.session.folder, self.saved_folder, dirs_exist_ok=True)
        return self.saved_folder.resolve()

    async def save_media(self, item: MediaItem) -> Path:
        """Save the session and say where this media file now is (media lives in the session folder)."""
        if self.session is None:
            raise ValueError("nothing to save yet: the team is still loading")
        if item.path is not None and self.has_content:
            try:
                relative = Path(item.path).resolve().relative_to(self.session.folder)
            except ValueError:
                relative = None
            if relative is not None:
                return (await self.save()) / relative
        chunk = MultimodalStreamChunk.for_item(item)
        saved = Path(str((await self.session.persist_media(chunk)).media_data))
        folder = await self.save()
        return folder / saved.relative_to(self.session.folder)

    async def close(self, orchestrator: TeamRunner | None = None) -> None:
        """Flush and close; a scratch session is removed (save_outputs was off). Safe to call twice."""
        if self.closed:
            return
        self.closed = True
        try:
            if orchestrator is not None:
                await orchestrator.aclose()
            elif self.session is not None:
                await self.session.flush()
        finally:
            if self.scratch is not None:
                await asyncio.to_thread(self.scratch.remove)

"""Where the session folder lives: in the output folder from the start (save_outputs), or in a scratch
folder that Ctrl+S copies into the output folder. The orchestrator writes into it either way."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path
from typing import Any

from massgen.session import DEFAULT_ROOT, Session
from massgen.session.names import reserve_dir, timestamp_name
from massgen.stream_chunk import ChunkType, MediaEncoding, MultimodalStreamChunk
from widgets.media_source import MediaSource


class SessionKeeper:
    """Owns the Session handed to the orchestrator and knows how to make it permanent."""

    def __init__(self, output_dir: Path | None = None) -> None:
        self.output_dir = output_dir
        self.session: Session | None = None
        self.automatic = False
        self.saved_folder: Path | None = None
        self._scratch: Path | None = None

    @property
    def root(self) -> Path:
        return Path(self.output_dir or DEFAULT_ROOT).expanduser()

    def open(self, save_outputs: bool, config_output_dir: Path | None = None) -> Session:
        """The session for the orchestrator: permanent if `save_outputs`, else scratch until Ctrl+S."""
        self.output_dir = self.output_dir or config_output_dir
        self.automatic = save_outputs
        if save_outputs:
            self.session = Session.create(self.root)
            self.saved_folder = self.session.folder
        else:
            self._scratch = Path(tempfile.mkdtemp(prefix="massgen-tui-"))
            self.session = Session(self._scratch)
        return self.session

    @property
    def cache_dir(self) -> Path:
        """Where media held only in memory is written so that an outside viewer can open it."""
        return Path(tempfile.gettempdir()) / "massgen-tui-media"

    async def save(self) -> Path:
        """Flush the session and make it permanent; the folder a user can open."""
        if self.session is None:
            raise ValueError("nothing to save yet: the team has not started")
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

    async def save_media(self, source: MediaSource) -> Path:
        """Save the session and say where this media file now is (media lives in the session folder)."""
        folder = await self.save()
        if source.path is not None and self.session is not None:
            try:
                relative = source.path.resolve().relative_to(self.session.folder)
            except ValueError:
                relative = None
            if relative is not None:
                return folder / relative
        assert self.session is not None
        chunk = MultimodalStreamChunk(
            type=ChunkType.MEDIA, source=source.agent_id, media_type=source.media_type, media_id=source.media_id,
            media_encoding=MediaEncoding.FILE_PATH if source.path is not None else MediaEncoding.BINARY,
            media_data=str(source.path) if source.path is not None else source.data,
            media_metadata=source.metadata)
        saved = Path(str((await self.session.persist_media(chunk)).media_data))
        folder = await self.save()
        return folder / saved.relative_to(self.session.folder)

    async def close(self, orchestrator: Any = None) -> None:
        """Flush; a scratch session that was never saved is removed (save_outputs was off)."""
        if orchestrator is not None and hasattr(orchestrator, "aclose"):
            await orchestrator.aclose()
        elif self.session is not None:
            await self.session.flush()
        if self._scratch is not None:
            await asyncio.to_thread(shutil.rmtree, self._scratch, True)
            self._scratch = None

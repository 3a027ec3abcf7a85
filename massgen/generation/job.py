"""What a backend module receives (Job) and what it yields (Progress, then one Output).

Every backend module exposes `run(job) -> AsyncIterator[Progress | Output]`; generate.py turns the
events into MEDIA_PROGRESS and MEDIA chunks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, AsyncIterator, Union

from massgen.media.item import MediaItem
from massgen.media.kinds import UNKNOWN_MIME, MediaType
from massgen.media.ref import MediaRef

from .config import GenerationRequest
from .selector import Selection
from .store import Continuation, ContinuationStore


@dataclass
class Progress:
    """Work under way: percent when known, a short message, and a partial image when the provider sends one."""

    percent: float | None = None
    message: str = ""
    partial_b64: str | None = None
    partial_mime: str | None = None


@dataclass
class Output:
    """The finished file (as massgen.generation.output wrote it) and what it continues as."""

    file: MediaItem
    model: str
    continuation_id: str | None = None
    revised_prompt: str | None = None
    duration_seconds: float | None = None


Event = Union[Progress, Output]
EventStream = AsyncIterator[Event]


def input_image(data: bytes, mime_type: str, name: str) -> MediaRef:
    """An input image already fitted to the backend's limits: bytes in memory once, base64 on demand (the ref's)."""
    return MediaRef(MediaItem(mime_type=mime_type, size_bytes=len(data), filename=name, data=data))


def file_tuple(image: MediaRef) -> tuple[str, bytes, str]:
    """(filename, bytes, mime): the form the OpenAI SDK uploads as a multipart file."""
    return (image.item.filename or "input.png", image.read_bytes(), image.item.mime_type)


@dataclass
class Job:
    """One generation for one backend: the request, the selection, where to write, what to continue."""

    request: GenerationRequest
    selection: Selection
    store: ContinuationStore
    output_dir: Path
    stem: str
    inputs: list[MediaRef] = field(default_factory=list)
    previous: Continuation | None = None

    @property
    def model(self) -> str:
        return self.selection.model

    @property
    def media_type(self) -> MediaType:
        return self.selection.media_type

    @property
    def api_key(self) -> str | None:
        return self.selection.api_key

    @property
    def base_url(self) -> str | None:
        return self.selection.base_url

    def option(self, name: str, default: Any = None) -> Any:
        """A backend-specific setting from the request's options (tool config or call)."""
        value = self.request.options.get(name)
        return default if value is None else value

    def seconds(self, name: str, default: float) -> float:
        """A timing option in seconds (tests set milliseconds' worth)."""
        value = self.option(name, default)
        try:
            return max(0.0, float(value))
        except (TypeError, ValueError):
            return default

    def remember(self, file: MediaItem | None = None, provider_ref: str | None = None,
                 data: dict[str, Any] | None = None, model: str | None = None) -> str:
        """Keep this result in the continuation store; returns its id ("backend:...")."""
        made = file or MediaItem(mime_type=UNKNOWN_MIME, media_type=self.media_type)
        item = replace(made, generator=self.selection.name, prompt=self.request.prompt, model=model or self.model)
        return self.store.add(item, provider_ref=provider_ref, data=data).id

    def previous_path(self) -> Path | None:
        """The kept output file of the continued result, if any."""
        return self.previous.require_path() if self.previous is not None and self.previous.item.path else None

    async def edit_sources(self) -> list[MediaRef]:
        """The images an edit starts from: the continued result's kept file first, then the inputs."""
        import asyncio

        from massgen.media import sniff

        sources = list(self.inputs)
        path = self.previous_path()
        if path is not None:
            data = await asyncio.to_thread(path.read_bytes)
            sources.insert(0, input_image(data, sniff(data).mime_type, path.name))
        return sources

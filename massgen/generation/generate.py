"""generate_media: one prompt or a batch -> MEDIA_PROGRESS chunks while working, a MEDIA chunk per result.

Bad arguments raise GenerationInputError (a ValueError) before any chunk; a failure of one piece of
media (provider error, timeout, unreadable input) becomes an ERROR chunk with its media_id and the
rest of the batch goes on. Backends are imported only when used.
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import os
import uuid
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncGenerator, Callable, Mapping, Sequence

from massgen.media import MediaError, MediaItem, MediaRef, fit_image, probe
from massgen.stream_chunk import ErrorCode, MultimodalStreamChunk

from .chunks import chunk_for_failure, chunk_for_result, chunk_for_progress
from .config import GenerationRequest
from .errors import GenerationError, GenerationInputError
from .job import Job, Output, Progress, input_image
from .output import ensure_dir, make_stem
from .selector import Selection, select
from .store import Continuation, ContinuationError, ContinuationStore

MAX_BATCH = 16
DEFAULT_CONCURRENCY = 4
_REQUEST_FIELDS = ("size", "quality", "aspect_ratio", "duration", "voice", "audio_format", "audio_type",
                   "negative_prompt", "seed")
_NOT_OPTIONS = {"backend", "backend_type", "model", "name", "type", "base_url", "description", "output_dir",
                "max_concurrent", *_REQUEST_FIELDS}
# Continuations the provider keeps itself: they work even when this store has forgotten them.
_SERVER_SIDE = {("openai", "image"): "resp_", ("openai", "video"): "video_"}


@dataclass
class _Plan:
    """Everything shared by the items of one call."""

    selection: Selection
    store: ContinuationStore
    output_dir: Path
    previous: Continuation | None
    source: str | None


async def generate_media(
    prompt: str | None = None,
    *,
    prompts: Sequence[str] | None = None,
    mode: str = "image",
    backend: str | None = None,
    model: str | None = None,
    input_images: Sequence[str | os.PathLike[str]] = (),
    continue_from: str | None = None,
    output_dir: str | os.PathLike[str] = ".",
    config: Mapping[str, Any] | None = None,
    store: ContinuationStore | None = None,
    source: str | None = None,
    max_concurrent: int | None = None,
    environ: Mapping[str, str] | None = None,
    **settings: Any,
) -> AsyncGenerator[MultimodalStreamChunk, None]:
    """Make media; `settings` are size, quality, aspect_ratio, duration, voice, ... and backend options.

    `store` keeps what is needed to refine the results later (the session's); without one, only ids the
    provider keeps itself can be continued."""
    texts = _prompts(prompt, prompts)
    if continue_from and len(texts) > 1:
        raise GenerationInputError("continue_from refines one piece of media; give one prompt with it")
    config = dict(config or {})
    requests = [_request(text, mode, config, settings, input_images, continue_from) for text in texts]
    selection = select(mode, backend, model, config, continue_from, environ)
    store = store if store is not None else ContinuationStore()
    previous = _previous(store, continue_from, selection)
    if previous is not None and previous.item.model and model is None:
        selection = dataclasses.replace(selection, model=previous.item.model)  # refine with the model that made it
    plan = _Plan(selection, store, ensure_dir(output_dir), previous, source)
    makers = [_maker(plan, req, i if len(requests) > 1 else None) for i, req in enumerate(requests)]
    limit = max_concurrent if max_concurrent is not None else config.get("max_concurrent", DEFAULT_CONCURRENCY)
    async with aclosing(_merge(makers, max(1, int(limit)))) as chunks:
        async for chunk in chunks:
            yield chunk


def _prompts(prompt: str | None, prompts: Sequence[str] | None) -> list[str]:
    if (prompt is None) == (prompts is None):
        raise GenerationInputError("give exactly one of prompt (one piece of media) or prompts (a batch)")
    if prompts is not None:
        if isinstance(prompts, str) or not prompts:
            raise GenerationInputError("prompts must be a non-empty list of texts")
        if len(prompts) > MAX_BATCH:
            raise GenerationInputError(f"prompts has {len(prompts)} entries; at most {MAX_BATCH} per batch")
        return list(prompts)
    return [prompt]  # type: ignore[list-item]


def _request(text: str, mode: str, config: Mapping[str, Any], settings: Mapping[str, Any],
             input_images: Sequence[Any], continue_from: str | None) -> GenerationRequest:
    """Call settings override the tool config; unknown names become backend options."""
    merged = {k: v for k, v in config.items() if v is not None}
    merged.update({k: v for k, v in settings.items() if v is not None})
    fields = {k: merged[k] for k in _REQUEST_FIELDS if k in merged}
    options = {k: v for k, v in merged.items() if k not in _NOT_OPTIONS}
    return GenerationRequest(prompt=text, media_type=mode, input_images=tuple(input_images or ()),
                             continue_from=continue_from, options=options, **fields)


def _previous(store: ContinuationStore, continue_from: str | None, selection: Selection) -> Continuation | None:
    if not continue_from:
        return None
    entry = store.get(continue_from)
    if entry is None:
        prefix = _SERVER_SIDE.get((selection.name, selection.media_type.value))
        if prefix and continue_from.partition(":")[2].startswith(prefix):
            return None
        store.require(continue_from)
    if entry is not None and entry.item.media_type != selection.media_type:
        raise ContinuationError(f"continue_from {continue_from!r} is {entry.item.media_type.value}, "
                                f"not {selection.media_type.value}")
    return entry


def _maker(plan: _Plan, request: GenerationRequest, index: int | None) -> Callable[[], AsyncGenerator[MultimodalStreamChunk, None]]:
    return lambda: _one(plan, request, index)


async def _one(plan: _Plan, request: GenerationRequest, index: int | None) -> AsyncGenerator[MultimodalStreamChunk, None]:
    """One piece of media from start to MEDIA (or ERROR), all chunks sharing one media_id."""
    media_id = uuid.uuid4().hex
    sel = plan.selection
    kind = sel.media_type
    yield chunk_for_progress(plan.source, kind, media_id, Progress(0.0, f"starting {sel.name} ({sel.model or 'default'})"))
    try:
        inputs = await asyncio.to_thread(_fit_inputs, request.input_images, sel)
        job = Job(request, sel, plan.store, plan.output_dir, make_stem(request.prompt, index, fallback=kind.value),
                  inputs, plan.previous)
        module = importlib.import_module(sel.backend.modules[kind])
        async with aclosing(module.run(job)) as events:
            async for event in events:
                if isinstance(event, Output):
                    result = await _result(event, job, media_id)
                    yield chunk_for_result(plan.source, result)
                else:
                    yield chunk_for_progress(plan.source, kind, media_id, event)
    except (GenerationError, MediaError, OSError) as exc:
        yield chunk_for_failure(plan.source, kind, media_id, _message(sel.name, exc), _code(request, exc))


def _fit_inputs(paths: Sequence[str], sel: Selection) -> list[MediaRef]:
    """Each input image fitted to the backend's limits (downscaled/re-encoded only when needed)."""
    fitted = []
    for path in paths:
        image = fit_image(path, sel.backend.edit_input)
        ext = {"image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}.get(image.mime_type, "png")
        fitted.append(input_image(image.data, image.mime_type, f"{Path(path).stem or 'input'}.{ext}"))
    return fitted


async def _result(event: Output, job: Job, media_id: str) -> MediaItem:
    """The file's item with what made it, measured from its headers (unknown stays None: it is only metadata)."""
    try:
        found: MediaItem | None = await asyncio.to_thread(probe, event.file.path or "")
    except MediaError:
        found = None
    duration = event.duration_seconds
    if duration is None and found is not None:
        duration = found.duration_seconds
    return dataclasses.replace(
        event.file, generator=job.selection.name, model=event.model, prompt=job.request.prompt, media_id=media_id,
        continuation_id=event.continuation_id, revised_prompt=event.revised_prompt,
        width=found.width if found else None, height=found.height if found else None, duration_seconds=duration,
    )


def _code(request: GenerationRequest, exc: BaseException) -> ErrorCode | None:
    """THREAD_LOST when a continuation failed because the provider no longer has what it continued."""
    lost = request.continue_from and isinstance(exc, GenerationError) and exc.gone
    return ErrorCode.THREAD_LOST if lost else None


def _message(backend: str, exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        text = f"cannot write the output: {exc.strerror} ({exc.filename})"
    return text if text.startswith(f"{backend}:") else f"{backend}: {text}"


async def _merge(makers: list[Callable[[], AsyncGenerator[MultimodalStreamChunk, None]]],
                 limit: int) -> AsyncGenerator[MultimodalStreamChunk, None]:
    """Run the makers with at most `limit` at once and yield their chunks as they come."""
    if len(makers) == 1:
        async with aclosing(makers[0]()) as only:
            async for chunk in only:
                yield chunk
        return
    queue: asyncio.Queue[Any] = asyncio.Queue()
    gate = asyncio.Semaphore(limit)
    done = object()

    async def pump(make: Callable[[], AsyncGenerator[MultimodalStreamChunk, None]]) -> None:
        try:
            async with gate:
                async for chunk in make():
                    await queue.put(chunk)
        except Exception as exc:  # forwarded to the consumer and re-raised there, not swallowed
            await queue.put(exc)
        finally:
            await queue.put(done)

    tasks = [asyncio.create_task(pump(make)) for make in makers]
    remaining = len(tasks)
    try:
        while remaining:
            item = await queue.get()
            if item is done:
                remaining -= 1
            elif isinstance(item, Exception):
                raise item
            else:
                yield item
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

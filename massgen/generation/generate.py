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
from typing import Any, AsyncIterator, Callable, Mapping, Sequence

from massgen.media import MediaError, fit_image, probe
from massgen.stream_chunk import ErrorCode, MultimodalStreamChunk

from .chunks import error_chunk, media_chunk, progress_chunk
from .config import GenerationRequest, GenerationResult
from .errors import GenerationError, GenerationInputError
from .job import InputImage, Job, Output, Progress
from .output import ensure_dir, make_stem
from .selector import Selection, select
from .store import Continuation, ContinuationError, ContinuationStore, default_store

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
) -> AsyncIterator[MultimodalStreamChunk]:
    """Make media; `settings` are size, quality, aspect_ratio, duration, voice, ... and backend options."""
    texts = _prompts(prompt, prompts)
    if continue_from and len(texts) > 1:
        raise GenerationInputError("continue_from refines one piece of media; give one prompt with it")
    config = dict(config or {})
    requests = [_request(text, mode, config, settings, input_images, continue_from) for text in texts]
    selection = select(mode, backend, model, config, continue_from, environ)
    store = store if store is not None else default_store()
    previous = _previous(store, continue_from, selection)
    if previous is not None and previous.model and model is None:
        selection = dataclasses.replace(selection, model=previous.model)  # refine with the model that made it
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
    if entry is not None and entry.media_type != selection.media_type.value:
        raise ContinuationError(f"continue_from {continue_from!r} is {entry.media_type}, not {selection.media_type.value}")
    return entry


def _maker(plan: _Plan, request: GenerationRequest, index: int | None) -> Callable[[], AsyncIterator[MultimodalStreamChunk]]:
    return lambda: _one(plan, request, index)


async def _one(plan: _Plan, request: GenerationRequest, index: int | None) -> AsyncIterator[MultimodalStreamChunk]:
    """One piece of media from start to MEDIA (or ERROR), all chunks sharing one media_id."""
    media_id = uuid.uuid4().hex
    sel = plan.selection
    kind = sel.media_type
    yield progress_chunk(plan.source, kind, media_id, Progress(0.0, f"starting {sel.name} ({sel.model or 'default'})"))
    try:
        inputs = await asyncio.to_thread(_fit_inputs, request.input_images, sel)
        job = Job(request, sel, plan.store, plan.output_dir, make_stem(request.prompt, index, fallback=kind.value),
                  inputs, plan.previous)
        module = importlib.import_module(sel.backend.modules[kind])
        async with aclosing(module.run(job)) as events:
            async for event in events:
                if isinstance(event, Output):
                    result = await _result(event, job, media_id)
                    yield media_chunk(plan.source, result)
                else:
                    yield progress_chunk(plan.source, kind, media_id, event)
    except (GenerationError, MediaError, OSError) as exc:
        yield error_chunk(plan.source, kind, media_id, _message(sel.name, exc), _code(request, exc))


def _fit_inputs(paths: Sequence[str], sel: Selection) -> list[InputImage]:
    """Each input image fitted to the backend's limits (downscaled/re-encoded only when needed)."""
    fitted = []
    for path in paths:
        image = fit_image(path, sel.backend.input_limit)
        ext = {"image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}.get(image.mime_type, "png")
        fitted.append(InputImage(image.data, image.mime_type, f"{Path(path).stem or 'input'}.{ext}"))
    return fitted


async def _result(event: Output, job: Job, media_id: str) -> GenerationResult:
    width, height, duration = await asyncio.to_thread(_measure, event.file.path)
    return GenerationResult(
        path=os.fspath(event.file.path), mime_type=event.file.mime_type, media_type=job.media_type,
        backend=job.selection.name, model=event.model, prompt=job.request.prompt, size_bytes=event.file.size_bytes,
        media_id=media_id, continuation_id=event.continuation_id, width=width, height=height,
        duration_seconds=event.duration_seconds if event.duration_seconds is not None else duration,
        revised_prompt=event.revised_prompt,
    )


def _measure(path: Path) -> tuple[int | None, int | None, float | None]:
    """Width, height and duration from the file's headers; unknown stays None (it is only metadata)."""
    try:
        info = probe(path)
    except MediaError:
        return None, None, None
    return info.width, info.height, info.duration_seconds


def _code(request: GenerationRequest, exc: BaseException) -> ErrorCode | None:
    """THREAD_LOST when a continuation failed because the provider no longer has what it continued."""
    lost = request.continue_from and isinstance(exc, GenerationError) and exc.gone
    return ErrorCode.THREAD_LOST if lost else None


def _message(backend: str, exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        text = f"cannot write the output: {exc.strerror} ({exc.filename})"
    return text if text.startswith(f"{backend}:") else f"{backend}: {text}"


async def _merge(makers: list[Callable[[], AsyncIterator[MultimodalStreamChunk]]],
                 limit: int) -> AsyncIterator[MultimodalStreamChunk]:
    """Run the makers with at most `limit` at once and yield their chunks as they come."""
    if len(makers) == 1:
        async with aclosing(makers[0]()) as only:
            async for chunk in only:
                yield chunk
        return
    queue: asyncio.Queue[Any] = asyncio.Queue()
    gate = asyncio.Semaphore(limit)
    done = object()

    async def pump(make: Callable[[], AsyncIterator[MultimodalStreamChunk]]) -> None:
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

"""A stand-in generation backend for generate_media's own tests: counts how many run at once,
fails on request, and waits when asked (so cancellation and concurrency can be observed)."""

from __future__ import annotations

import asyncio

from massgen.generation.errors import GenerationError
from massgen.generation.job import Job, Output, Progress
from massgen.generation.output import write_bytes

from fake_providers.generated_media import tiny_image

STATE = {"running": 0, "peak": 0, "cancelled": 0, "started": 0}


def reset() -> None:
    STATE.update(running=0, peak=0, cancelled=0, started=0)


async def run(job: Job):
    STATE["started"] += 1
    STATE["running"] += 1
    STATE["peak"] = max(STATE["peak"], STATE["running"])
    try:
        yield Progress(50.0, "working")
        await asyncio.sleep(float(job.option("wait", 0.02)))
        if "fail" in job.request.prompt:
            raise GenerationError("fakebackend: refused this prompt")
        written = await write_bytes(job.output_dir, job.stem, tiny_image("PNG", (len(job.request.prompt), 0, 0)),
                                    job.media_type)
        yield Output(written, job.model, continuation_id=job.remember(written))
    except asyncio.CancelledError:
        STATE["cancelled"] += 1
        raise
    finally:
        STATE["running"] -= 1

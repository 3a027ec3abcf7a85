"""Stable Diffusion through an AUTOMATIC1111-compatible HTTP API (/sdapi/v1/txt2img and img2img).

Settings from the tool config: steps, cfg_scale, sampler (and scheduler),
negative_prompt, seed, denoising_strength for edits; `model` switches the checkpoint for the call.
While the request runs, /sdapi/v1/progress is polled for a percentage and a preview image.
Continuing runs img2img on the kept image. SD_WEBUI_AUTH ("user:password") is sent as basic auth.
"""

from __future__ import annotations

import asyncio
import base64
import os
from typing import Any

from .clients import check_status, http_client, http_errors
from .config import picture_size
from .errors import GenerationError
from .job import EventStream, Job, Output, Progress
from .output import write_base64

DEFAULT_STEPS = 25
DEFAULT_CFG = 7.0


def _payload(job: Job) -> dict[str, Any]:
    req = job.request
    default = (512, 512) if "turbo" in job.model.lower() else (1024, 1024)
    width, height = picture_size(req.size, req.aspect_ratio, default)
    payload: dict[str, Any] = {
        "prompt": req.prompt,
        "negative_prompt": req.negative_prompt or "",
        "steps": int(job.option("steps", DEFAULT_STEPS)),
        "cfg_scale": float(job.option("cfg_scale", DEFAULT_CFG)),
        "width": width - width % 8,
        "height": height - height % 8,
        "seed": req.seed if req.seed is not None else -1,
        "batch_size": 1,
        "n_iter": 1,
    }
    if job.option("sampler"):
        payload["sampler_name"] = job.option("sampler")
    if job.option("scheduler"):
        payload["scheduler"] = job.option("scheduler")
    if job.model:
        payload["override_settings"] = {"sd_model_checkpoint": job.model}
        payload["override_settings_restore_afterwards"] = True
    return payload


async def run(job: Job) -> EventStream:
    sources = await job.edit_sources()
    payload = _payload(job)
    endpoint = "/sdapi/v1/txt2img"
    if sources:
        endpoint = "/sdapi/v1/img2img"
        payload["init_images"] = [s.base64() for s in sources[:1]]
        payload["denoising_strength"] = float(job.option("denoising_strength", 0.6))
    auth = os.environ.get("SD_WEBUI_AUTH", "")
    headers = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()} if ":" in auth else None
    yield Progress(2.0, "queued on the Stable Diffusion server")
    async with http_client(job, headers=headers) as client:
        with http_errors("sd", None):
            task = asyncio.create_task(client.post(endpoint, json=payload))
            try:
                async for progress in _watch(client, task, job.seconds("poll_interval", 1.0)):
                    yield progress
                response = await task
            finally:
                task.cancel()
            await check_status("sd", response, None)
    images = response.json().get("images") or []
    if not images:
        raise GenerationError("sd: the server returned no image; check its console")
    written = await write_base64(job.output_dir, job.stem, images[0], job.media_type)
    yield Output(written, job.model or "sd", continuation_id=job.remember(written))


async def _watch(client: Any, task: "asyncio.Task[Any]", interval: float) -> EventStream:
    """Progress (and preview) from /sdapi/v1/progress until the generation request is answered."""
    import httpx2

    last_preview = ""
    while not task.done():
        await asyncio.wait({task}, timeout=interval)
        if task.done():
            return
        try:
            answer = await client.get("/sdapi/v1/progress", params={"skip_current_image": "false"})
            state = answer.json() if answer.status_code == 200 else {}
        except (httpx2.HTTPError, ValueError):
            continue  # progress is best effort; the generation request itself reports failures
        fraction = float(state.get("progress") or 0.0)
        preview = state.get("current_image")
        fresh = isinstance(preview, str) and bool(preview) and preview[:256] != last_preview
        if fresh and isinstance(preview, str):
            last_preview = preview[:256]
        yield Progress(5.0 + 90.0 * min(1.0, fraction), f"step {int(fraction * 100)}%",
                       partial_b64=preview if fresh else None, partial_mime="image/png" if fresh else None)

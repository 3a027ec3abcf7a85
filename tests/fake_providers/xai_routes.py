"""xAI (Grok) media under /xai/v1: image generations (JSON), image edits (JSON with data URLs, not
multipart), and videos (generations/edits -> request_id, polled by GET, file served by /xai-files)."""

from __future__ import annotations

from typing import Any

from .exchange import Exchange
from .generated_media import tiny_image, tiny_mp4
from .replies import b64

PREFIX = r"/xai/v1"


def register(server: Any) -> None:
    server.add_route("POST", PREFIX + r"/images/generations", generate, name="xai.images.generate")
    server.add_route("POST", PREFIX + r"/images/edits", edit, name="xai.images.edit")
    server.add_route("POST", PREFIX + r"/videos/(?P<kind>generations|edits)", video_start, name="xai.videos.start")
    server.add_route("GET", PREFIX + r"/videos/(?P<rid>req_\w+)", video_poll, name="xai.videos.poll")
    server.add_route("GET", r"/xai-files/(?P<name>[\w.-]+)", video_file, name="xai.files", auth=False)


def _images(ex: Exchange, count: int) -> None:
    images = ex.reply.images if ex.reply.images is not None else [tiny_image("JPEG", (220, 90, 40 + i)) for i in range(count)]
    ex.send_json({"created": 1, "data": [{"b64_json": b64(img), "revised_prompt": "revised"} for img in images]})


def generate(ex: Exchange) -> None:
    body = ex.json or {}
    if not body.get("prompt"):
        ex.send_error(400, "prompt is required")
        return
    _images(ex, int(body.get("n") or 1))


def edit(ex: Exchange) -> None:
    if "multipart" in ex.request.headers.get("content-type", ""):
        ex.send_error(415, "image edits take application/json")
        return
    body = ex.json or {}
    sources = [body["image"]] if isinstance(body.get("image"), dict) else list(body.get("images") or [])
    if not sources or not all(str(s.get("url", "")).startswith(("data:image/", "http")) for s in sources):
        ex.send_error(400, "image.url (a data URL or https URL) is required")
        return
    _images(ex, 1)


def video_start(ex: Exchange) -> None:
    body = ex.json or {}
    if ex.params["kind"] == "edits" and not (body.get("video") or {}).get("url"):
        ex.send_error(400, "video.url is required")
        return
    jobs = ex.server.state.setdefault("xai_videos", {})
    rid = f"req_{len(jobs) + 1:04d}"
    jobs[rid] = {"polls": 0, "body": body, "fail": ex.reply.text == "fail"}
    ex.send_json({"request_id": rid})


def video_poll(ex: Exchange) -> None:
    job = ex.server.state.get("xai_videos", {}).get(ex.params["rid"])
    if job is None:
        ex.send_error(404, "no such request")
        return
    job["polls"] += 1
    if job["polls"] < 2:
        ex.send_json({"status": "pending", "progress": 40})
    elif job["fail"]:
        ex.send_json({"status": "failed", "error": {"message": "moderated"}})
    else:
        ex.send_json({"status": "done", "model": job["body"].get("model"),
                      "video": {"url": f"{ex.server.url}/xai-files/{ex.params['rid']}.mp4", "duration": 6}})


def video_file(ex: Exchange) -> None:
    ex.send_bytes(tiny_mp4(), content_type="video/mp4")

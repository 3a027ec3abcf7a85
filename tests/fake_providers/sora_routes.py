"""OpenAI Sora videos: create (multipart), retrieve (queued -> in_progress -> completed over polls),
content download, and remix. Script text "fail" makes the video fail."""

from __future__ import annotations

from typing import Any

from .exchange import Exchange
from .generated_media import tiny_mp4

PREFIX = r"(?:/openai)?/v1/videos"


def register(server: Any) -> None:
    server.add_route("POST", PREFIX, create, name="openai.videos.create")
    server.add_route("GET", PREFIX + r"/(?P<id>video_\w+)", retrieve, name="openai.videos.retrieve")
    server.add_route("GET", PREFIX + r"/(?P<id>video_\w+)/content", content, name="openai.videos.content")
    server.add_route("POST", PREFIX + r"/(?P<id>video_\w+)/remix", remix, name="openai.videos.remix")


def _videos(ex: Exchange) -> dict[str, dict[str, Any]]:
    return ex.server.state.setdefault("sora", {})


def _new(ex: Exchange, prompt: str, model: str, seconds: str, size: str, remixed_from: str | None = None) -> dict[str, Any]:
    videos = _videos(ex)
    video = {"id": f"video_{len(videos) + 1:04d}", "object": "video", "model": model, "status": "queued",
             "progress": 0, "created_at": 1, "seconds": seconds, "size": size, "prompt": prompt,
             "remixed_from_video_id": remixed_from}
    videos[video["id"]] = {"video": video, "fail": ex.reply.text == "fail"}
    return video


def create(ex: Exchange) -> None:
    form = ex.request.form or {}
    body = ex.json or {}
    fields = form or body
    prompt = fields.get("prompt")
    if not prompt:
        ex.send_error(400, "prompt is required")
        return
    ex.send_json(_new(ex, prompt, fields.get("model") or "sora-2", fields.get("seconds") or "4",
                      fields.get("size") or "720x1280"))


def retrieve(ex: Exchange) -> None:
    entry = _videos(ex).get(ex.params["id"])
    if entry is None:
        ex.send_error(404, "no such video")
        return
    video = entry["video"]
    if video["status"] == "queued":
        video.update(status="in_progress", progress=50)
    elif video["status"] == "in_progress":
        if entry["fail"]:
            video.update(status="failed", progress=50, error={"code": "moderation", "message": "blocked by moderation"})
        else:
            video.update(status="completed", progress=100, completed_at=2)
    ex.send_json(video)


def content(ex: Exchange) -> None:
    entry = _videos(ex).get(ex.params["id"])
    if entry is None or entry["video"]["status"] != "completed":
        ex.send_error(404, "the video is not ready")
        return
    data = tiny_mp4()
    ex.stream([data[i:i + 512] for i in range(0, len(data), 512)], content_type="video/mp4")


def remix(ex: Exchange) -> None:
    source = _videos(ex).get(ex.params["id"])
    if source is None:
        ex.send_error(404, "no such video")
        return
    base = source["video"]
    ex.send_json(_new(ex, (ex.json or {}).get("prompt", ""), base["model"], base["seconds"], base["size"], base["id"]))

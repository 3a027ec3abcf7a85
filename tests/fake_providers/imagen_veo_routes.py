"""Vertex AI express mode, as google-genai 3.x uses it for Imagen and Veo:

* Imagen `…/publishers/google/models/<model>:predict` (generate, and edit when referenceImages are sent);
* Veo `…:predictLongRunning`, then `…:fetchPredictOperation` polled until done (the first poll is
  still running), the video inline, or as a URI served by `/veo-files/<name>` (script text "uri").
"""

from __future__ import annotations

from typing import Any

from .exchange import Exchange
from .generated_media import tiny_image, tiny_mp4
from .replies import b64

MODEL = r"(?:/[\w.-]+)?/v\w+/publishers/google/models/(?P<model>[^/:]+)"
POLLS_BEFORE_DONE = 1


def vertex_error(status: int, message: str) -> dict[str, Any]:
    return {"error": {"code": status, "message": message, "status": "INVALID_ARGUMENT" if status == 400 else "UNKNOWN"}}


def register(server: Any) -> None:
    server.add_route("POST", MODEL + ":predict", imagen, name="vertex.imagen", error_body=vertex_error)
    server.add_route("POST", MODEL + ":predictLongRunning", veo_start, name="vertex.veo", error_body=vertex_error)
    server.add_route("POST", r"(?:/[\w.-]+)?/v\w+/.*:fetchPredictOperation", veo_poll, name="vertex.operation",
                     error_body=vertex_error)
    server.add_route("GET", r"/veo-files/(?P<name>[\w.-]+)", veo_file, name="vertex.veo_file", error_body=vertex_error)


def imagen(ex: Exchange) -> None:
    """JPEG images (so a test can see the extension follow the content), one per sampleCount."""
    body = ex.json or {}
    count = int((body.get("parameters") or {}).get("sampleCount") or 1)
    images = ex.reply.images if ex.reply.images is not None else [tiny_image("JPEG", (200, 150 + i, 60)) for i in range(count)]
    ex.send_json({"predictions": [{"bytesBase64Encoded": b64(img), "mimeType": "image/jpeg"} for img in images]})


def veo_start(ex: Exchange) -> None:
    operations = ex.server.state.setdefault("veo", {})
    name = f"projects/fake/locations/us-central1/publishers/google/models/{ex.params['model']}/operations/op{len(operations) + 1}"
    operations[name] = {"polls": 0, "uri": ex.reply.text == "uri", "fail": ex.reply.text == "fail"}
    ex.send_json({"name": name})


def veo_poll(ex: Exchange) -> None:
    name = (ex.json or {}).get("operationName", "")
    operation = ex.server.state.get("veo", {}).get(name)
    if operation is None:
        ex.send_error(404, f"operation {name} not found")
        return
    operation["polls"] += 1
    if operation["polls"] <= POLLS_BEFORE_DONE:
        ex.send_json({"name": name, "done": False})
        return
    if operation["fail"]:
        ex.send_json({"name": name, "done": True, "error": {"code": 3, "message": "the prompt was blocked"}})
        return
    short = name.rsplit("/", 1)[-1]
    video = ({"gcsUri": f"{ex.server.url}/veo-files/{short}.mp4", "mimeType": "video/mp4"} if operation["uri"]
             else {"bytesBase64Encoded": b64(tiny_mp4()), "mimeType": "video/mp4"})
    ex.send_json({"name": name, "done": True, "response": {"@type": "type.googleapis.com/fake", "videos": [video]}})


def veo_file(ex: Exchange) -> None:
    ex.send_bytes(tiny_mp4(), content_type="video/mp4")

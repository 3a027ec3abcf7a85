"""Gemini Files API: the resumable upload as google-genai speaks it (start, upload+finalize), and get."""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

from .exchange import Exchange
from .gemini_generate import gemini_error


def register(server: Any) -> None:
    server.add_route("POST", r"(?:/[\w.-]+)?/upload/(?P<version>v\w+)/files", start, name="gemini.files.start",
                     error_body=gemini_error)
    server.add_route("POST", r"(?:/[\w.-]+)?/upload-session/(?P<sid>[\w-]+)", upload, name="gemini.files.upload",
                     error_body=gemini_error, auth=False)
    server.add_route("GET", r"(?:/[\w.-]+)?/(?P<version>v\w+)/files/(?P<fid>[\w-]+)", get, name="gemini.files.get",
                     error_body=gemini_error)


def files(ex: Exchange) -> dict[str, dict[str, Any]]:
    """Uploaded files by id: their record (as the API returns it) plus `data`, the bytes received."""
    return ex.server.state.setdefault("gemini_files", {})


def start(ex: Exchange) -> None:
    """`X-Goog-Upload-Command: start` announces size and type; answer with the session's upload URL."""
    headers = ex.request.headers
    if headers.get("x-goog-upload-protocol") != "resumable" or headers.get("x-goog-upload-command") != "start":
        ex.send_error(400, "expected a resumable upload start")
        return
    sessions = ex.server.state.setdefault("upload_sessions", {})
    sid = f"up{next(ex.server.state.setdefault('upload_ids', itertools.count(1)))}"
    meta = (ex.json or {}).get("file") or {}
    sessions[sid] = {"size": int(headers.get("x-goog-upload-header-content-length", "0")),
                     "mime": headers.get("x-goog-upload-header-content-type", ""), "meta": meta,
                     "data": bytearray(), "state": ex.reply.file_state}
    ex.send_json({}, headers={"x-goog-upload-url": f"{ex.server.url}/gemini/upload-session/{sid}",
                              "x-goog-upload-status": "active"})


def upload(ex: Exchange) -> None:
    """One chunk at `X-Goog-Upload-Offset`; `finalize` in the command ends it and creates the file."""
    session = ex.server.state.get("upload_sessions", {}).get(ex.params["sid"])
    if session is None:
        ex.send_error(404, "unknown upload session")
        return
    headers = ex.request.headers
    if int(headers.get("x-goog-upload-offset", "-1")) != len(session["data"]):
        ex.send_error(400, "upload offset does not match the bytes received", {"x-goog-upload-status": "active"})
        return
    session["data"] += ex.request.body
    if "finalize" not in headers.get("x-goog-upload-command", ""):
        ex.send_bytes(b"", headers={"x-goog-upload-status": "active"})
        return
    record = _finish(ex, session)
    ex.send_json({"file": record}, headers={"x-goog-upload-status": "final"})


def _finish(ex: Exchange, session: dict[str, Any]) -> dict[str, Any]:
    fid = f"file{len(files(ex)) + 1}"
    data = bytes(session["data"])
    record = {"name": f"files/{fid}", "displayName": session["meta"].get("displayName", fid),
              "mimeType": session["mime"], "sizeBytes": str(len(data)), "createTime": "2026-11-23T00:00:00Z",
              "updateTime": "2026-11-23T00:00:00Z", "expirationTime": "2026-11-25T00:00:00Z",
              "sha256Hash": hashlib.sha256(data).hexdigest(), "state": session["state"], "source": "UPLOADED",
              "uri": f"{ex.server.url}/gemini/v1beta/files/{fid}"}
    files(ex)[fid] = {**record, "data": data, "declared_size": session["size"]}
    return record


def get(ex: Exchange) -> None:
    """A PROCESSING file is reported once as such, then ACTIVE (as a video finishing processing)."""
    stored = files(ex).get(ex.params["fid"])
    if stored is None:
        ex.send_error(404, f"File files/{ex.params['fid']} not found")
        return
    record = {k: v for k, v in stored.items() if k not in ("data", "declared_size")}
    ex.send_json(record)
    if stored["state"] == "PROCESSING":
        stored["state"] = "ACTIVE"

"""Anthropic Files API: POST /v1/files (multipart, field `file`), behind the files-api beta header.

Faults come from the server's scripted replies (an error status, a dropped connection) as on every route."""

from __future__ import annotations

import hashlib
from typing import Any

from .anthropic_messages import anthropic_error
from .exchange import Exchange

FILES_BETA = "files-api-2025-04-14"


def register(server: Any) -> None:
    server.add_route("POST", r"(?:/[\w.-]+)?/v1/files", upload, name="anthropic.files.upload",
                     error_body=anthropic_error)


def files(ex: Exchange) -> dict[str, dict[str, Any]]:
    """Uploaded files by id: their metadata (as the API returns it) plus `data`, the bytes received."""
    return ex.server.state.setdefault("anthropic_files", {})


def upload(ex: Exchange) -> None:
    if FILES_BETA not in ex.request.headers.get("anthropic-beta", ""):
        ex.send_error(400, f"the Files API needs the anthropic-beta: {FILES_BETA} header")
        return
    part = (ex.request.form or {}).get("file")
    if not isinstance(part, dict):
        ex.send_error(400, "file: a multipart file part is required")
        return
    fid = f"file_{len(files(ex)) + 1:04d}"
    data = part["data"]
    record = {"id": fid, "type": "file", "filename": part["filename"] or "unnamed",
              "mime_type": part["content_type"], "size_bytes": len(data), "created_at": "2026-11-23T00:00:00Z",
              "downloadable": False}
    files(ex)[fid] = {**record, "data": data, "sha256": hashlib.sha256(data).hexdigest()}
    ex.send_json(record)

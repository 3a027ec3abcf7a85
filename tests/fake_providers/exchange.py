"""One request/response of the fake server: the recorded request and the writers that apply faults."""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .replies import Reply

if TYPE_CHECKING:
    from http.server import BaseHTTPRequestHandler

    from .server import FakeProviderServer, Route

MALFORMED_FRAME = b'data: {"this frame is": broken json\n\n'


class ClientGone(Exception):
    """The client closed the connection while the fake was answering."""


@dataclass
class RecordedRequest:
    """What reached the fake: route name, path, query, lower-cased headers, raw body and parsed forms."""

    route: str
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    json: Any = None
    form: dict[str, Any] | None = None
    params: dict[str, str] = field(default_factory=dict)
    reply: Reply | None = None
    closed_by_client: threading.Event = field(default_factory=threading.Event)
    completed: threading.Event = field(default_factory=threading.Event)
    frames_sent: int = 0

    @property
    def retry_count(self) -> str | None:
        """The Stainless SDKs' attempt counter header ("0", "1", ...)."""
        return self.headers.get("x-stainless-retry-count")


def parse_body(headers: dict[str, str], body: bytes) -> tuple[Any, dict[str, Any] | None]:
    """(json, multipart form) parsed from the body where the content type says so."""
    ctype = headers.get("content-type", "")
    if "multipart/form-data" in ctype:
        return None, parse_multipart(ctype, body)
    if body[:1] in (b"{", b"[") or "json" in ctype:
        try:
            return json.loads(body), None
        except ValueError:
            return None, None
    return None, None


def parse_multipart(ctype: str, body: bytes) -> dict[str, Any]:
    """Form fields: text as str, files as {filename, content_type, data}; repeated names as lists."""
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
    form: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        data = part.get_payload(decode=True) or b""
        value: Any = (
            {"filename": filename, "content_type": part.get_content_type(), "data": data}
            if filename is not None
            else data.decode("utf-8", "replace")
        )
        if name in form:
            existing = form[name]
            form[name] = (existing if isinstance(existing, list) else [existing]) + [value]
        else:
            form[name] = value
    return form


class Exchange:
    """Answer one request; `stream()` and `send_json()` apply the reply's faults."""

    def __init__(self, handler: "BaseHTTPRequestHandler", server: "FakeProviderServer", route: "Route",
                 request: RecordedRequest, reply: Reply, abort: threading.Event) -> None:
        self.handler = handler
        self.server = server
        self.route = route
        self.request = request
        self.reply = reply
        self._abort = abort
        self.started = False

    @property
    def json(self) -> Any:
        return self.request.json

    @property
    def params(self) -> dict[str, str]:
        return self.request.params

    # -- plain responses -------------------------------------------------

    def send_json(self, body: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.send_bytes(json.dumps(body).encode(), status, "application/json", headers)

    def send_bytes(self, data: bytes, status: int = 200, content_type: str = "application/octet-stream",
                   headers: dict[str, str] | None = None) -> None:
        h = self.handler
        self.started = True
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        self._write(data)
        self.request.completed.set()

    def send_error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        """The route's protocol-shaped error body with `status`."""
        self.send_json(self.route.error_body(status, message), status, headers)

    # -- streams -----------------------------------------------------------

    def stream(self, frames: Iterable[bytes], *, error_frame: bytes | None = None,
               malformed: bytes = MALFORMED_FRAME, content_type: str = "text/event-stream; charset=utf-8") -> None:
        """Send `frames` chunked, one HTTP chunk each, applying drop/stall/malformed/error-event faults."""
        reply = self.reply
        self._start_chunked(content_type)
        n = 0
        for frame in [*frames, None]:
            if reply.stall and reply.stall_after == n:
                self.wait(reply.stall)
            if reply.drop_after == n:
                self.drop()
                return
            if reply.malformed_after == n:
                self._write_chunk(malformed)
                break
            if reply.error_event_after == n and error_frame is not None:
                self._write_chunk(error_frame)
                break
            if frame is None:
                break
            if n and reply.frame_delay:
                self.wait(reply.frame_delay)
            self._write_chunk(frame)
            n += 1
            self.request.frames_sent = n
        self._write(b"0\r\n\r\n")
        self.request.completed.set()

    def drop(self) -> None:
        """Close the socket (FIN) inside the body, as a provider whose connection breaks."""
        self.handler.wfile.flush()
        self.handler.close_connection = True
        try:
            self.handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def wait(self, seconds: float) -> None:
        """Sleep, noticing promptly if the client hangs up (ClientGone) or the server is reset."""
        deadline = time.monotonic() + seconds
        conn = self.handler.connection
        while (left := deadline - time.monotonic()) > 0:
            if self._abort.is_set():
                raise ClientGone("server reset")
            readable, _, _ = select.select([conn], [], [], min(left, 0.02))
            if readable and _peer_closed(conn):
                raise ClientGone("client closed the connection")

    def _start_chunked(self, content_type: str) -> None:
        h = self.handler
        self.started = True
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Transfer-Encoding", "chunked")
        h.send_header("Cache-Control", "no-cache")
        h.end_headers()
        h.wfile.flush()

    def _write_chunk(self, data: bytes) -> None:
        self._write(b"%x\r\n%s\r\n" % (len(data), data))

    def _write(self, data: bytes) -> None:
        try:
            self.handler.wfile.write(data)
            self.handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise ClientGone(str(exc)) from exc


def _peer_closed(conn: socket.socket) -> bool:
    try:
        return conn.recv(1, socket.MSG_PEEK) == b""
    except OSError:  # reset by the peer
        return True


def sse(data: Any, event: str | None = None, crlf: bool = False) -> bytes:
    """One SSE frame: optional `event:` line, `data: <json>` and a blank line."""
    eol = b"\r\n" if crlf else b"\n"
    payload = data if isinstance(data, (bytes, str)) else json.dumps(data)
    payload = payload.encode() if isinstance(payload, str) else payload
    head = b"event: " + event.encode() + eol if event else b""
    return head + b"data: " + payload + eol + eol


Handler = Callable[[Exchange], None]
ErrorBody = Callable[[int, str], Any]

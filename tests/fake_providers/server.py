"""A fake LLM provider on 127.0.0.1: pluggable routes, scripted replies, recorded requests, faults.

Stdlib ThreadingHTTPServer in a daemon thread: it serves the SDKs' real httpx2 clients over real
sockets without sharing the test's event loop (see shared/reference/provider-wire-facts.md).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable
from urllib.parse import parse_qs, urlsplit

from .exchange import ClientGone, ErrorBody, Exchange, Handler, RecordedRequest, parse_body
from .replies import Reply, as_reply


def openai_error(status: int, message: str) -> dict[str, Any]:
    """OpenAI's error body; also the default for routes that name none."""
    kind = "rate_limit_error" if status == 429 else "server_error" if status >= 500 else "invalid_request_error"
    return {"error": {"message": message, "type": kind, "param": None, "code": str(status)}}


@dataclass
class Route:
    """One endpoint: method, full-path regex, handler, error-body shape, whether the key is checked."""

    name: str
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    error_body: ErrorBody = openai_error
    auth: bool = True


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024  # the default 5 resets connections under concurrent streams
    owner: "FakeProviderServer"


class FakeProviderServer:
    """The fake provider; `with FakeProviderServer(api_key=...) as srv:` starts it on a free port."""

    def __init__(self, api_key: str | None = None, host: str = "127.0.0.1", load_protocols: bool = True) -> None:
        self.api_key = api_key
        self.host = host
        self.state: dict[str, Any] = {}
        self._routes: list[Route] = []
        self._scripts: dict[str, deque[Reply]] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._abort = threading.Event()
        self.handler_errors: list[str] = []
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        if load_protocols:
            load_protocol_modules(self)

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> "FakeProviderServer":
        self._httpd = _HTTPServer((self.host, 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-provider", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._abort.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "FakeProviderServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._httpd is not None, "start the server first"
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/openai/v1"

    @property
    def anthropic_base_url(self) -> str:
        return f"{self.url}/anthropic"

    @property
    def gemini_base_url(self) -> str:
        return f"{self.url}/gemini"

    @property
    def azure_endpoint(self) -> str:
        return f"{self.url}/azure"

    # -- routes and scripts ------------------------------------------------------

    def add_route(self, method: str, path_regex: str, handler: Handler, *, name: str | None = None,
                  error_body: ErrorBody = openai_error, auth: bool = True) -> Route:
        """Serve `method` requests whose whole path matches `path_regex`; later routes win."""
        route = Route(name or path_regex, method.upper(), re.compile(path_regex), handler, error_body, auth)
        with self._lock:
            self._routes.insert(0, route)
        return route

    def route_names(self) -> list[str]:
        return [r.name for r in self._routes]

    def script(self, route: str, replies: Iterable[Reply | str | dict[str, Any]]) -> None:
        """Queue what `route` answers next, one reply per request; the echo default follows."""
        if route not in self.route_names():
            raise KeyError(f"no route named {route!r}; known: {', '.join(sorted(self.route_names()))}")
        with self._lock:
            self._scripts.setdefault(route, deque()).extend(as_reply(r) for r in replies)

    def fail(self, route: str, status: int, times: int = 1, **kwargs: Any) -> None:
        """Shorthand: the next `times` requests to `route` get `status` (kwargs: retry_after, ...)."""
        self.script(route, [Reply.fault(status, **kwargs) for _ in range(times)])

    def next_reply(self, route: str) -> Reply:
        with self._lock:
            queue = self._scripts.get(route)
            return queue.popleft() if queue else Reply()

    def pending(self, route: str) -> int:
        """Scripted replies not used yet."""
        return len(self._scripts.get(route, ()))

    # -- recorded requests -----------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def calls(self, route: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.route == route]

    def last(self, route: str) -> RecordedRequest:
        calls = self.calls(route)
        if not calls:
            raise AssertionError(f"no request reached {route!r}; got {[r.route for r in self.requests]}")
        return calls[-1]

    def reset(self) -> None:
        """Forget requests, scripts and state; wake any stalled handler."""
        with self._lock:
            self._abort.set()
            self._abort = threading.Event()
            self._scripts.clear()
            self._requests.clear()
            self.state.clear()
            self.handler_errors.clear()

    # -- dispatch (handler threads) ---------------------------------------------

    def _match(self, method: str, path: str) -> tuple[Route, re.Match[str]] | None:
        with self._lock:
            routes = list(self._routes)
        for route in routes:
            if route.method == method and (m := route.pattern.fullmatch(path)):
                return route, m
        return None

    def _record(self, rec: RecordedRequest) -> threading.Event:
        with self._lock:
            self._requests.append(rec)
            return self._abort

    def _key_ok(self, rec: RecordedRequest) -> bool:
        if not self.api_key:
            return True
        presented = [rec.headers.get("authorization", "").removeprefix("Bearer ").strip(),
                     rec.headers.get("api-key", ""), rec.headers.get("x-api-key", ""),
                     rec.headers.get("x-goog-api-key", ""), *rec.query.get("key", [])]
        return self.api_key in presented


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    def handle(self) -> None:
        """A client that resets an idle keep-alive connection is normal, not an error."""
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            self.close_connection = True

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def _read_body(self) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            out = bytearray()
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                out += self.rfile.read(size)
                self.rfile.readline()
            self.rfile.readline()
            return bytes(out)
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def _dispatch(self) -> None:
        owner = self.server.owner
        split = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        body = self._read_body()
        found = owner._match(self.command, split.path)
        if found is None:
            self._plain(404, b'{"error": {"message": "no fake route for this path", "code": 404}}')
            return
        route, match = found
        parsed, form = parse_body(headers, body)
        rec = RecordedRequest(route.name, self.command, split.path, parse_qs(split.query), headers, body,
                              parsed, form, {k: v for k, v in match.groupdict().items() if v is not None})
        abort = owner._record(rec)
        rec.reply = reply = owner.next_reply(route.name)
        ex = Exchange(self, owner, route, rec, reply, abort)
        try:
            self._answer(owner, route, ex)
        except ClientGone:
            rec.closed_by_client.set()
            self.close_connection = True

    def _answer(self, owner: FakeProviderServer, route: Route, ex: Exchange) -> None:
        reply = ex.reply
        if reply.stall and reply.stall_after is None:
            ex.wait(reply.stall)
        if reply.disconnect:
            ex.drop()
        elif route.auth and not owner._key_ok(ex.request):
            ex.send_error(401, "invalid or missing API key")
        elif reply.status != 200:
            ex.send_error(reply.status, reply.error_message, reply.headers)
        else:
            try:
                route.handler(ex)
            except ClientGone:
                raise
            except Exception as exc:  # a bug in the fake: record it, answer 500 without a retry
                owner.handler_errors.append(f"{route.name}: {exc!r}")
                if ex.started:
                    ex.drop()
                else:
                    ex.send_json({"error": {"message": f"fake server bug: {exc!r}", "code": 500}}, 500,
                                 {"x-should-retry": "false"})

    def _plain(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-should-retry", "false")
        self.end_headers()
        self.wfile.write(data)


def load_protocol_modules(server: FakeProviderServer) -> None:
    """Import every module of this package that has `register(server)` and call it (plugins)."""
    package = __package__ or "fake_providers"
    pkg = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(server)

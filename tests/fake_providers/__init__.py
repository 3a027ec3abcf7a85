"""A fake LLM provider server for offline tests (stdlib ThreadingHTTPServer on 127.0.0.1, port 0).

Adding a protocol: put a module here with `register(server)` calling
`server.add_route(method, path_regex, handler, name=..., error_body=..., auth=...)`; every module with
a `register` is loaded when a server is built. A handler gets an `Exchange`: `ex.json`, `ex.params`
(named regex groups), `ex.reply` (the next scripted `Reply`, or the default), `ex.server.state`
(cleared on reset), and answers with `ex.send_json(...)`, `ex.send_bytes(...)` or
`ex.stream(frames, error_frame=...)`, which applies the reply's faults. Tests script replies with
`server.script(route_name, [Reply(...), "text", ...])` and read `server.calls(route_name)`.
"""

from .exchange import Exchange, RecordedRequest, sse
from .replies import FAKE_KEY, TINY_PDF, Reply, b64, tiny_png
from .server import FakeProviderServer

__all__ = ["FAKE_KEY", "TINY_PDF", "Exchange", "FakeProviderServer", "RecordedRequest", "Reply", "b64", "sse",
           "tiny_png"]

"""A real HTTP server on 127.0.0.1 for tests: routes are plain functions, served by a thread per request.

    with LocalServer() as server:
        server.route("/feed.xml", lambda req: Response(200, body, {"Content-Type": "application/rss+xml"}))
        url = server.url("/feed.xml")

A route may return a ``Response`` (the whole body at once) or a ``StreamResponse`` whose ``chunks`` iterable is written
one piece at a time (for endless or slow bodies). ``server.hits`` counts requests per path; ``server.requests`` keeps
the request headers of every request in order.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]


@dataclass
class Response:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class StreamResponse:
    status: int = 200
    chunks: Iterable[bytes] = ()
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to sleep before each chunk


Route = Callable[[Request], "Response | StreamResponse"]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # silence the default stderr log
        pass

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._serve(send_body=True)

    def _serve(self, send_body: bool) -> None:
        path, _, query = self.path.partition("?")
        request = Request(self.command, path, query, {k.lower(): v for k, v in self.headers.items()})
        owner = self.server.owner
        with owner.lock:
            owner.hits[path] += 1
            owner.requests.append(request)
        route = owner.routes.get(path) or owner.default
        if route is None:
            resp: Response | StreamResponse = Response(404, b"not found", {"Content-Type": "text/plain"})
        else:
            resp = route(request)
        try:
            if isinstance(resp, StreamResponse):
                self._stream(resp, send_body)
            else:
                self._whole(resp, send_body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _whole(self, resp: Response, send_body: bool) -> None:
        body = resp.body.encode("utf-8") if isinstance(resp.body, str) else resp.body
        self.send_response(resp.status)
        headers = {"Content-Length": str(len(body)), **resp.headers}
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _stream(self, resp: StreamResponse, send_body: bool) -> None:
        self.send_response(resp.status)
        for key, value in resp.headers.items():
            self.send_header(key, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if not send_body:
            return
        for chunk in resp.chunks:
            if self.server.owner.stopping.is_set():
                return
            if resp.delay:
                time.sleep(resp.delay)
            self.wfile.write(chunk)
            self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-request (size caps, timeouts) are part of the tests, not errors."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LocalServer:
    """A threaded HTTP server bound to 127.0.0.1 on a free port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes: dict[str, Route] = {}
        self.default: Route | None = None
        self.hits: Counter[str] = Counter()
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd = _Server((host, port), _Handler)
        self._httpd.owner = self
        self.host, self.port = self._httpd.server_address[:2]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"LocalServer:{self.port}",
            daemon=True,
        )

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    def route(self, path: str, handler: Route) -> None:
        self.routes[path] = handler

    def serve(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", status: int = 200,
              headers: dict[str, str] | None = None) -> str:
        """Serve a fixed body at ``path`` and return its URL."""
        response = Response(status, body, {"Content-Type": content_type, **(headers or {})})
        self.route(path, lambda _req: response)
        return self.url(path)

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

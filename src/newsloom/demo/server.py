"""HTTP serving of the mini-web: one ThreadingHTTPServer per publisher, each its own host:port.

Every response carries Content-Type with charset (for text), Content-Length, ETag and Last-Modified; a matching
If-None-Match (or, without it, an If-Modified-Since not older than the resource) gets 304; bodies are gzipped when
the client accepts it. Keep-alive works (HTTP/1.1).
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from newsloom.demo.models import DemoArticle, DemoFeed, Publisher

HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
_COMPRESSIBLE = ("text/", "application/", "image/svg+xml")


@dataclass
class Resource:
    body: bytes
    content_type: str
    last_modified: datetime | None = None
    etag: str = ""
    _gzipped: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.etag:
            self.etag = '"' + hashlib.blake2b(self.body, digest_size=10).hexdigest() + '"'

    def gzipped(self) -> bytes:
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=5, mtime=0)
        return self._gzipped

    @property
    def compressible(self) -> bool:
        return self.content_type.startswith(_COMPRESSIBLE)


class Site:
    """The resources of one publisher: fixed ones, and lazy ones built (once) on first request."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.routes: dict[str, Resource] = {}
        self.lazy: dict[str, Callable[[], Resource]] = {}
        self._lock = threading.Lock()

    def add(self, path: str, resource: Resource) -> None:
        self.routes[path] = resource

    def get(self, path: str) -> Resource | None:
        found = self.routes.get(path)
        if found is not None:
            return found
        build = self.lazy.get(path)
        if build is None:
            return None
        resource = build()
        with self._lock:
            return self.routes.setdefault(path, resource)


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"
    timeout = 30

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, *, send_body: bool) -> None:
        path = urlsplit(self.path).path or "/"
        resource = self.server.site.get(path)
        if resource is None:
            body = f"<!DOCTYPE html><title>Not found</title><h1>404 Not Found</h1><p>{path}</p>".encode()
            self._send(404, Resource(body, HTML, etag='"404"'), body, {}, send_body)
            return
        headers: dict[str, str] = {"Cache-Control": "max-age=60"}
        if resource.compressible:
            headers["Vary"] = "Accept-Encoding"
        if self._not_modified(resource):
            self._send(304, resource, b"", headers, send_body)
            return
        body = resource.body
        if resource.compressible and "gzip" in self.headers.get("Accept-Encoding", "").lower():
            body = resource.gzipped()
            headers["Content-Encoding"] = "gzip"
        self._send(200, resource, body, headers, send_body)

    def _not_modified(self, resource: Resource) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or resource.etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims and resource.last_modified is not None:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return resource.last_modified.replace(microsecond=0) <= since
        return False

    def _send(self, status: int, res: Resource, body: bytes, headers: dict[str, str], send_body: bool) -> None:
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", res.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", res.etag)
        if res.last_modified is not None:
            self.send_header("Last-Modified", format_datetime(res.last_modified.astimezone(UTC), usegmt=True))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], site: Site) -> None:
        self.site = site
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


def bind_servers(host: str, names: list[str], base_port: int) -> list[SiteServer]:
    """One listening server per name: on free ports (base_port 0) or on base_port + i."""
    servers: list[SiteServer] = []
    for i, name in enumerate(names):
        port = base_port + i if base_port else 0
        try:
            servers.append(SiteServer((host, port), Site(name)))
        except OSError as exc:
            for srv in servers:
                srv.server_close()
            where = f"{host}:{port}" if port else host
            raise OSError(
                exc.errno,
                f"mini-web: cannot listen on {where} for publisher {name!r} ({exc.strerror or exc}); "
                f"ports {base_port}-{base_port + len(names) - 1} must be free, choose another base port",
            ) from exc
    return servers


class MiniWeb:
    """A running (or ready to run) set of publisher servers and the ground truth about their content."""

    def __init__(
        self,
        servers: list[SiteServer],
        feeds: list[DemoFeed],
        articles: list[DemoArticle],
        boilerplate_phrases: tuple[str, ...],
        homepages: list[str],
    ) -> None:
        self.servers = servers
        self.feeds = feeds
        self.articles = articles
        self.boilerplate_phrases = boilerplate_phrases
        self._homepages = homepages
        self.publishers: list[Publisher] = []  # the publishers behind the feeds, homepages filled in
        self._threads: list[threading.Thread] = []
        self._stopped = False

    def start(self) -> MiniWeb:
        if self._stopped:
            raise RuntimeError("mini-web was stopped; start a new one")
        if not self._threads:
            for srv in self.servers:
                t = threading.Thread(
                    target=srv.serve_forever,
                    kwargs={"poll_interval": 0.1},
                    name=f"miniweb-{srv.site.name}",
                    daemon=True,
                )
                t.start()
                self._threads.append(t)
        return self

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self._threads:  # shut all servers down at once: each shutdown() waits up to one poll interval
            stoppers = [threading.Thread(target=srv.shutdown, daemon=True) for srv in self.servers]
            for t in stoppers:
                t.start()
            for t in [*stoppers, *self._threads]:
                t.join(timeout=5)
        for srv in self.servers:
            srv.server_close()
        self._threads = []

    def publisher_homepages(self) -> list[str]:
        return list(self._homepages)

    def __enter__(self) -> MiniWeb:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

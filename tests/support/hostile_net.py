"""Hostile publishers at the network level, for issue #21's rows: builders of hostile documents and raw-socket servers
that misbehave below HTTP (``http.server`` always sends whole, well-formed headers, so these speak bytes themselves).

    deep_opml(5000)                          an OPML list whose feed sits under 5,000 nested folders
    with RawServer(drip_headers()) as srv:   a server that sends its status line and headers one byte a second
        fetcher.fetch(srv.url("/feed.xml"))  # -> FetchTimeout at the deadline
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.httpserver import LocalServer, Response

Behaviour = Callable[[socket.socket], None]


def deep_opml(depth: int, *, leaf: str = "https://deep.example/feed", close: bool = True) -> bytes:
    """An OPML list whose one feed sits under ``depth`` nested folders (``close=False``: the file stops half-way)."""
    opening = b"".join(b'<outline text="f%d">' % i for i in range(depth))
    closing = b"</outline>" * depth + b"</body></opml>" if close else b""
    head = b'<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="top" xmlUrl="https://top.example/"/>'
    return head + opening + f'<outline text="Deep" xmlUrl="{leaf}"/>'.encode() + closing


def gzip_members(*parts: bytes) -> bytes:
    """Each part compressed as its own gzip member, the members concatenated (RFC 1952 allows it; servers do it)."""
    return b"".join(gzip.compress(part) for part in parts)


class RawServer:
    """A TCP server on 127.0.0.1 whose every connection is handed to ``behaviour(sock)`` in its own thread, after the
    request head has been read; ``/robots.txt`` gets a plain 404 (so robots rules do not hide the behaviour).
    ``connections`` counts accepted connections."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.connections = 0
        self.stopping = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, name=f"RawServer:{self.port}", daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(10)
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    head += chunk
                if head.split(b" ", 2)[1:2] == [b"/robots.txt"]:
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    return
                self.behaviour(conn)
            except OSError:
                pass

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._sock.close()
        self._thread.join(timeout=2)


def drip_headers(stop: threading.Event | None = None, delay: float = 1.0) -> Behaviour:
    """Send ``HTTP/1.1 200 OK`` and then headers forever, one byte every ``delay`` seconds."""

    def behaviour(conn: socket.socket) -> None:
        data = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Padding: " + b"a" * 100_000
        for byte in data:
            if stop is not None and stop.is_set():
                return
            conn.sendall(bytes([byte]))
            time.sleep(delay)

    return behaviour


def reset_after_headers(body_bytes: int = 10) -> Behaviour:
    """Send complete headers announcing a long body, a few bytes of it, then reset the connection (RST, not FIN)."""

    def behaviour(conn: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 50000\r\n\r\n"
        conn.sendall(head + b"x" * body_bytes)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    return behaviour


HOSTILE_DATA = Path(__file__).resolve().parent.parent / "data" / "hostile"
RSS = "application/rss+xml; charset=utf-8"
FAR_RETRY_AFTER = "Wed, 21 Oct 2999 07:28:00 GMT"
METADATA = "http://169.254.169.254/latest/meta-data/"


def install_hostile_net_routes(server: LocalServer) -> dict[str, str]:
    """Add #21's network-level hostile cases to ``server`` and return ``name -> path``:

    net-*.xml       every tests/data/hostile/net-*.xml feed, served as RSS (entity declarations: UnsafeXML)
    retry_far       429 with Retry-After in the year 2999 (recorded as "retrying in 7 days")
    retry_huge      503 with Retry-After 30707000000 seconds
    to_metadata     302 to the cloud metadata address (refused even with NEWSLOOM_FETCH_ALLOW_PRIVATE)
    gzip_article    an article page sent as two concatenated gzip members (both decoded)
    """
    paths: dict[str, str] = {}
    for fixture in sorted(HOSTILE_DATA.glob("net-*.xml")):
        body = fixture.read_bytes()
        paths[fixture.name] = server.serve(f"/net/{fixture.name}", body, RSS).removeprefix(server.base)
    paths["retry_far"] = "/net/retry-far.xml"
    server.route(paths["retry_far"], lambda _r: Response(429, b"", {"Retry-After": FAR_RETRY_AFTER}))
    paths["retry_huge"] = "/net/retry-huge.xml"
    server.route(paths["retry_huge"], lambda _r: Response(503, b"", {"Retry-After": "30707000000"}))
    paths["to_metadata"] = "/net/to-metadata.xml"
    server.route(paths["to_metadata"], lambda _r: Response(302, b"", {"Location": METADATA}))
    paths["gzip_article"] = "/net/gzip-article"
    server.route(
        paths["gzip_article"],
        lambda _r: Response(
            200, gzip_members(*GZIP_ARTICLE), {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
        ),
    )
    return paths


_PARAGRAPH = "The river council met on Tuesday to decide on the new flood barrier for the eastern bank. " * 3
GZIP_ARTICLE = (
    f"<!doctype html><html><head><title>Two members</title></head><body><article><h1>Two members</h1>"
    f"<p>{_PARAGRAPH}</p><p>First member ends here.</p>".encode(),
    f"<p>{_PARAGRAPH}</p><p>Second member text survives.</p></article></body></html>".encode(),
)

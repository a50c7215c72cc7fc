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
    request head has been read. ``connections`` counts accepted connections."""

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

"""One deadline for a whole HTTP exchange: connecting, TLS, sending, the response headers and the body.

httpx's timeouts bound each socket operation, so a server that sends its headers one byte a second never trips them.
Here every operation on the socket is bounded by what is left of the exchange's deadline instead:

    deadline = Deadline(seconds=30)
    with deadline.active():                       # this thread's exchanges use it
        with client.stream("GET", url) as response:
            ...                                   # a read past the deadline raises httpcore.ReadTimeout

``DeadlineBackend`` is the httpcore network backend that applies it (``deadline_transport`` builds the httpx
transport around it): a connect, read or write gets ``min(its own timeout, time left)``, and when no time is left it
raises the matching httpcore timeout at once. A timer also shuts down every socket the exchange used at the deadline,
which wakes an operation blocked inside the TLS library. The server's address is read once, right after connecting,
so a connection reset later never makes asking for it fail (``getpeername`` raises ENOTCONN on a reset socket).

The host name is looked up here too, under the same deadline (``netguard.resolve_within``: ``socket.getaddrinfo``
takes no timeout of its own), and its addresses are tried in order, as ``socket.create_connection`` would.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
import typing
from collections.abc import Iterator
from contextvars import ContextVar

import httpcore
import httpx

from newsloom.core.ingest.netguard import Resolver, parse_ip, resolve_within, system_resolver
from newsloom.errors import FetchTimeout

__all__ = ["Deadline", "DeadlineBackend", "deadline_transport"]


class Deadline:
    """The end of one exchange, in ``time.monotonic()`` seconds."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self._fired = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._cut)
        self._timer.daemon = True

    def left(self) -> float:
        return self.at - time.monotonic()

    def expired(self) -> bool:
        return self._fired.is_set() or self.left() <= 0

    def bound(self, timeout: float | None) -> float:
        """``timeout`` shortened to the time left; ``<= 0`` means none is left."""
        left = self.left()
        return left if timeout is None else min(timeout, left)

    def watch(self, sock: socket.socket | None) -> None:
        """Shut ``sock`` down when the deadline passes (at once if it already has)."""
        if sock is None:
            return
        with self._lock:
            if sock not in self._sockets:
                self._sockets.append(sock)
        if self._fired.is_set():
            self._cut()

    def _cut(self) -> None:
        self._fired.set()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    @contextlib.contextmanager
    def active(self) -> Iterator[Deadline]:
        token = _CURRENT.set(self)
        self._timer.start()
        try:
            yield self
        finally:
            self._timer.cancel()
            _CURRENT.reset(token)


_CURRENT: ContextVar[Deadline | None] = ContextVar("newsloom_fetch_deadline", default=None)


def _bounded(timeout: float | None, kind: type[Exception], sock: socket.socket | None) -> float | None:
    deadline = _CURRENT.get()
    if deadline is None:
        return timeout
    deadline.watch(sock)
    left = deadline.bound(timeout)
    if left <= 0:
        raise kind(f"the {deadline.seconds:g}-second deadline has passed")
    return left


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, server_addr: typing.Any) -> None:
        self._inner = inner
        self._server_addr = server_addr
        self._sock: socket.socket | None = inner.get_extra_info("socket")

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout, self._sock))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout, self._sock))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout, self._sock)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, bounded), self._server_addr)

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "server_addr":
            return self._server_addr
        try:
            return self._inner.get_extra_info(info)
        except OSError:  # the connection was reset: there is nothing more to know about it
            return None


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own socket backend with every operation bounded by the current ``Deadline`` (if any)."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None, *, resolver: Resolver | None = None) -> None:
        self._inner = inner or httpcore.SyncBackend()
        self._resolver = resolver or system_resolver

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._connect(host, port, timeout, local_address, socket_options)
        try:
            server_addr = stream.get_extra_info("server_addr")
        except OSError as exc:  # reset before we could even ask
            stream.close()
            raise httpcore.ConnectError(f"the connection was reset at once ({exc})") from exc
        wrapped = _DeadlineStream(stream, server_addr)
        deadline = _CURRENT.get()
        if deadline is not None:
            deadline.watch(wrapped.get_extra_info("socket"))
        return wrapped

    def _connect(self, host: str, port: int, timeout: float | None, local_address: str | None,
                 socket_options: typing.Iterable[typing.Any] | None) -> httpcore.NetworkStream:
        if parse_ip(host) is not None:
            return self._inner.connect_tcp(
                host, port, _bounded(timeout, httpcore.ConnectTimeout, None), local_address, socket_options
            )
        try:
            addresses = resolve_within(self._resolver, host, port, _bounded(timeout, httpcore.ConnectTimeout, None))
        except FetchTimeout as exc:
            raise httpcore.ConnectTimeout(exc.message) from exc
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"the host name {host} does not resolve ({exc})") from exc
        failure: Exception = httpcore.ConnectError(f"the host name {host} has no addresses")
        options = list(socket_options or ())
        for address in dict.fromkeys(addresses):
            bounded = _bounded(timeout, httpcore.ConnectTimeout, None)  # none left: the deadline's timeout, at once
            try:
                return self._inner.connect_tcp(address, port, bounded, local_address, options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Iterable[typing.Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _DeadlineTransport(httpx.HTTPTransport):
    def __init__(self, limits: httpx.Limits, resolver: Resolver | None) -> None:
        super().__init__(limits=limits, trust_env=False)
        # httpx builds the same pool with httpcore's default backend and no way to pass another one.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=DeadlineBackend(resolver=resolver),
        )


def deadline_transport(limits: httpx.Limits, *, resolver: Resolver | None = None) -> httpx.HTTPTransport:
    """An httpx transport (HTTP/1.1, no proxy) whose sockets keep to the current ``Deadline``; ``resolver`` looks
    host names up for connecting (the system's by default)."""
    return _DeadlineTransport(limits, resolver)
